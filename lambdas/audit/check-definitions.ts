/** The checks of an audit: the requests each sends and how it judges the answers. */
import { aliasSpellings, echoesNumber, foreignNumber, INVALID_NUMBERS, MAX_PER_CLIENT_NUMBERS, perClientNumbers, PREMIUM_NUMBER } from './numbers';
import { BOT_USER_AGENT, type ProbeResult } from './probe';
import type { CheckContext, CheckDefinition, Verdict } from './check-types';

const NUMBER_SENDS = 3;

const numberLimit: CheckDefinition = {
  id: 'number-limit',
  title: 'No per-number limit: the same number can be sent code after code',
  severity: 'high',
  fix:
    'Cap SMS per number. SMS Shield defaults to 1 per minute, 5 per hour and 10 per day per number (`numberLimits`) and refuses ' +
    'the rest with 429 and `Retry-After`, reason `NUMBER_VELOCITY`; `GLOBAL_NUMBER_VELOCITY` caps one number across every tenant, ' +
    'and `NUMBER_UNVERIFIED` tightens it for codes nobody enters (bombing victims never do).',
  requests: (test) =>
    Array.from({ length: NUMBER_SENDS }, (_, i) => ({
      purpose: `same number, send ${i + 1} of ${NUMBER_SENDS}`,
      phone: test.e164,
      ownNumber: true,
      stopGroup: 'number-limit',
    })),
  evaluate: ({ mine, describe }) => {
    const stop = mine.find((r) => r.outcome !== 'accepted');
    const evidence = mine.map((r) => ({ text: describe(r) }));
    if (!stop) return { status: 'finding', summary: `all ${mine.length} sends to your number${within(mine)} were accepted`, evidence };
    if (stop.outcome === 'error')
      return { status: 'inconclusive', summary: `send #${stop.request.seq} failed (${answer(stop)}), which is not a limit`, evidence };
    return { status: 'passed', summary: `limited: send ${mine.indexOf(stop) + 1} of ${NUMBER_SENDS} was ${stop.outcome} (${stop.status})`, evidence };
  },
};

const numberAliases: CheckDefinition = {
  id: 'number-aliases',
  title: 'Spellings of one number are counted as different numbers',
  severity: 'high',
  requires: 'number-limit',
  fix:
    'Normalise every number to E.164 (libphonenumber, with your own country as the region for national spellings) before counting, ' +
    'listing or logging it. SMS Shield keys every counter by an HMAC of the E.164 form, so every spelling (national, with `00` ' +
    'or without `+`, with `(0)`, dots or dashes) uses up the same `NUMBER_VELOCITY` quota.',
  requests: (test) => aliasSpellings(test).map((phone, i, all) => ({ purpose: `spelling ${i + 1} of ${all.length} of your number`, phone, ownNumber: true })),
  evaluate: ({ mine, all, describe }) => {
    const limited = all.find((r) => r.request.check === 'number-limit' && (r.outcome === 'refused' || r.outcome === 'challenged'));
    const accepted = mine.filter((r) => r.outcome === 'accepted');
    const evidence = mine.map((r) => ({ text: describe(r) }));
    if (limited) {
      if (accepted.length === 0)
        return { status: 'passed', summary: `every spelling was refused once the canonical form was limited (#${limited.request.seq})`, evidence };
      return {
        status: 'finding',
        summary: `${accepted.length} of ${mine.length} spellings were accepted after the canonical form was ${limited.outcome} (#${limited.request.seq})`,
        evidence: [{ text: `canonical form limited: ${describe(limited)}` }, ...evidence],
      };
    }
    if (mine.length > 0 && accepted.length === mine.length) {
      return {
        status: 'finding',
        severity: 'medium',
        summary: `all ${mine.length} spellings were accepted; the canonical form was never limited either, so this may be the missing per-number limit rather than spellings counted apart — fix both`,
        evidence,
      };
    }
    const refused = mine.find((r) => r.outcome !== 'accepted');
    if (!refused || refused.outcome === 'error') return { status: 'inconclusive', summary: 'no spelling was refused or accepted cleanly', evidence };
    return {
      status: 'passed',
      summary: `spelling #${refused.request.seq} was ${refused.outcome} after earlier sends to the same number: consistent with one count for all spellings`,
      evidence,
    };
  },
};

const botCheck: CheckDefinition = {
  id: 'bot-check',
  title: 'No bot check: a script gets codes sent without any challenge',
  severity: 'medium',
  fix:
    'Ask for proof that a person is there before sending. SMS Shield scores `AUTOMATION_USER_AGENT`, `HEADLESS_BROWSER` and ' +
    "`MISSING_DEVICE`, and answers 428 `CHALLENGE_REQUIRED` until the browser SDK's proof of work and device token come with " +
    'the request (`CHALLENGE_INVALID`, `CHALLENGE_REPLAYED` and `DEVICE_TOKEN_INVALID` when they are forged or reused).',
  // Sent first, to the user's own number: later probes would otherwise find that number already limited.
  requests: (test) => [{ purpose: 'like a script', phone: test.e164, ownNumber: true, bot: true }],
  evaluate: ({ mine, describe }) => {
    const [probe] = mine;
    const evidence = mine.map((r) => ({ text: describe(r) }));
    if (!probe || probe.outcome === 'error')
      return { status: 'inconclusive', summary: `the bot probe got no usable answer${probe ? ` (${answer(probe)})` : ''}`, evidence };
    if (probe.outcome === 'accepted')
      return {
        status: 'finding',
        summary: `a request with user agent ${BOT_USER_AGENT}, no device token and no challenge was accepted (${probe.status})`,
        evidence,
      };
    return { status: 'passed', summary: `the bot-like request was ${probe.outcome} (${probe.status})`, evidence };
  },
};

const PER_CLIENT_SENDS = Math.min(6, MAX_PER_CLIENT_NUMBERS);

const perClientLimit: CheckDefinition = {
  id: 'per-client-limit',
  title: 'No per-IP limit: one client can have codes sent to many different numbers',
  severity: 'medium',
  fix:
    'Limit how many different numbers one client reaches. SMS Shield counts `IP_MANY_NUMBERS` (different numbers per IP), ' +
    '`IP_VELOCITY` and `SUBNET_VELOCITY` (attempts per IP and /24), `DEVICE_MANY_NUMBERS`, and `RANGE_VELOCITY` (numbers walked ' +
    'through one range, as pumping rings do); keep the IP limits generous, since carrier NAT puts many people on one address.',
  requests: (test) =>
    perClientNumbers(test, PER_CLIENT_SENDS).map((phone, i, all) => ({
      purpose: `different fictional number ${i + 1} of ${all.length}`,
      phone,
      ownNumber: false,
      stopGroup: 'per-client-limit',
    })),
  evaluate: ({ mine, describe }) => {
    const stop = mine.find((r) => r.outcome !== 'accepted');
    const evidence = mine.map((r) => ({ text: describe(r) }));
    if (!stop) {
      return {
        status: 'finding',
        summary: `${mine.length} different numbers from one client${within(mine)} were all accepted (a higher limit would not show within this budget)`,
        evidence,
      };
    }
    if (stop.outcome === 'error')
      return { status: 'inconclusive', summary: `request #${stop.request.seq} failed (${answer(stop)}), which is not a limit`, evidence };
    if (stop === mine[0]) {
      return {
        status: 'inconclusive',
        summary: `the first probe number was already ${stop.outcome} (${stop.status}): something other than a per-client limit refused it (the probe uses fictional numbers, possibly from a country the endpoint does not serve), so no per-client limit could be observed`,
        evidence,
      };
    }
    return {
      status: 'passed',
      summary: `${mine.indexOf(stop)} different numbers were accepted, then #${stop.request.seq} was ${stop.outcome} (${stop.status})`,
      evidence,
    };
  },
};

const invalidNumbers: CheckDefinition = {
  id: 'invalid-numbers',
  title: 'Invalid numbers accepted',
  severity: 'medium',
  fix: 'Validate with libphonenumber before anything else and refuse what it rejects: SMS Shield blocks such numbers with 403, reason `INVALID_NUMBER`.',
  requests: () => INVALID_NUMBERS.map((phone) => ({ purpose: 'invalid number', phone, ownNumber: false })),
  evaluate: (ctx) => anyAccepted(ctx, 'invalid numbers'),
};

const premiumNumbers: CheckDefinition = {
  id: 'premium-numbers',
  title: 'Premium-rate numbers accepted (toll fraud)',
  severity: 'high',
  fix:
    'Refuse number types that never receive codes and can earn an attacker money: SMS Shield blocks `PREMIUM_RATE_NUMBER`, ' +
    '`SHARED_COST_NUMBER`, `TOLL_FREE_NUMBER`, `UAN_NUMBER` and `FIXED_LINE_NUMBER` with 403.',
  requests: () => [{ purpose: 'premium-rate number (Ofcom drama range)', phone: PREMIUM_NUMBER, ownNumber: false }],
  evaluate: (ctx) => anyAccepted(ctx, 'the premium-rate number'),
};

const foreignNumbers: CheckDefinition = {
  id: 'foreign-numbers',
  title: 'Numbers from another country accepted',
  severity: 'medium',
  fix:
    "Send only to the countries you serve: SMS Shield's `countries.allow` and `countries.deny` refuse the rest with " +
    '`COUNTRY_NOT_ALLOWED`; `COUNTRY_SPIKE`, `COUNTRY_LOW_CONVERSION` and `COUNTRY_MISMATCH` catch pumping through countries you do serve.',
  requests: (test) => [{ purpose: `fictional number from another country than ${test.country}`, phone: foreignNumber(test), ownNumber: false }],
  evaluate: (ctx) => anyAccepted(ctx, 'the foreign number'),
};

/** What can leak in a response body, most specific first. */
const LEAKS: readonly { kind: string; pattern: RegExp }[] = [
  {
    kind: 'stack trace',
    pattern:
      /(?:^|\n|\\n)\s*at [^\n"]*?:\d+:\d+|Traceback \(most recent call last\)|\bat [\w$.]+\([\w$]+\.java:\d+\)|\.php on line \d+|goroutine \d+ \[running\]/,
  },
  {
    kind: 'internal path',
    pattern:
      /(?:^|[\s"'(=:])(?:\/(?:home|usr|var|opt|srv|app|Users|tmp|workspace|root|mnt|data)\/[\w.@~+-]+(?:\/[\w.@~+-]+)*)|\b[A-Za-z]:\\(?:[\w .-]+\\)+|node_modules[\\/]/,
  },
  {
    kind: 'SQL error',
    pattern:
      /SQLSTATE|syntax error at or near|error in your SQL syntax|\bER_[A-Z_]{4,}\b|\bORA-\d{5}\b|\bSQLITE_[A-Z]+\b|SequelizeDatabaseError|QueryFailedError|PrismaClient\w*Error|\bPG::\w+|duplicate key value violates/,
  },
  {
    kind: 'AWS error',
    pattern:
      /\b(?:ValidationException|ResourceNotFoundException|ProvisionedThroughputExceededException|ConditionalCheckFailedException|AccessDeniedException|ThrottlingException|InvalidParameterException|InvalidParameterValueException|AuthorizationErrorException|UnrecognizedClientException|ExpiredTokenException|InvalidClientTokenId|OptedOutException)\b|arn:aws[\w-]*:[\w-]+:/,
  },
  {
    kind: 'framework name',
    pattern: /Cannot (?:POST|GET|PUT) \/|Whitelabel Error Page|Werkzeug|\bDjango\b|\bLaravel\b|\bSymfony\b|Ruby on Rails|ASP\.NET|at Layer\.handle/,
  },
];
const FRAMEWORK_SERVER = /express|werkzeug|gunicorn|uvicorn|kestrel|php|jetty|tomcat|django|rails|puma|passenger/i;

const errorLeaks: CheckDefinition = {
  id: 'error-leaks',
  title: 'Responses leak internals or the number',
  severity: 'medium',
  fix:
    "Answer with a generic message and an error code, and keep details in your own logs: expose an error's message only for client " +
    "errors (< 500), as SMS Shield's own error middleware does; drop `X-Powered-By`; never echo the number back — show it " +
    "masked (`+44 74** ***456`), as SMS Shield's logs and outbox do.",
  requests: () => [{ purpose: 'malformed JSON body', ownNumber: false, malformed: true }],
  evaluate: ({ all, test, describe, brief, redact, skipped }) => {
    const answered = all.filter((r) => r.status !== undefined);
    // Per kind: which responses showed it, and an excerpt of the first.
    const seen = new Map<string, { results: ProbeResult[]; excerpt: string }>();
    const add = (kind: string, result: ProbeResult, excerpt: string) => {
      const entry = seen.get(kind);
      if (entry) entry.results.push(result);
      else seen.set(kind, { results: [result], excerpt });
    };
    for (const r of answered) {
      for (const { kind, pattern } of LEAKS) {
        const match = pattern.exec(r.body);
        if (match) add(kind, r, around(r.body, match.index));
      }
      const powered = r.headers['x-powered-by'] ?? r.headers['x-aspnet-version'] ?? r.headers['x-runtime'];
      if (powered !== undefined) add('framework name', r, `X-Powered-By: ${powered}`);
      else if (r.headers.server && FRAMEWORK_SERVER.test(r.headers.server)) add('framework name', r, `Server: ${r.headers.server}`);
      const sentNumber = r.request.ownNumber ? test.e164 : r.request.phone;
      if (sentNumber && echoesNumber(r.body, sentNumber)) add('number echoed back', r, around(r.body, 0));
    }
    const probeNote = skipped.includes('error-leaks') ? ' (the malformed-body probe was not run: budget)' : '';
    if (seen.size > 0) {
      const evidence = [...seen].map(([kind, { results, excerpt }]) => {
        const seqs = results.map((r) => `#${r.request.seq}`);
        const list = seqs.length > 6 ? `${seqs.slice(0, 6).join(', ')} and ${seqs.length - 6} more` : seqs.join(', ');
        return {
          text: `${kind} in ${results.length} response${results.length === 1 ? '' : 's'} (${list}); first: ${brief(results[0]!)}`,
          excerpt: redact(excerpt),
        };
      });
      return { status: 'finding', summary: `seen: ${[...seen.keys()].join(', ')}${probeNote}`, evidence };
    }
    return {
      status: 'passed',
      summary: `no stack trace, internal path, SQL or AWS error, framework name or echoed number in ${answered.length} response(s)${probeNote}`,
      evidence: all.filter((r) => r.request.malformed && r.sent).map((r) => ({ text: describe(r) })),
    };
  },
};

/** Priority order: when the budget is short, checks at the end are left out first. */
export const CHECKS: readonly CheckDefinition[] = [
  numberLimit,
  numberAliases,
  botCheck,
  premiumNumbers,
  invalidNumbers,
  foreignNumbers,
  errorLeaks,
  perClientLimit,
];

function anyAccepted({ mine, describe }: CheckContext, what: string): Verdict {
  const accepted = mine.filter((r) => r.outcome === 'accepted');
  const evidence = mine.map((r) => ({ text: describe(r) }));
  if (accepted.length > 0)
    return {
      status: 'finding',
      summary: `${accepted.length} of ${mine.length} accepted: ${accepted.map((r) => `#${r.request.seq} (${r.status})`).join(', ')}`,
      evidence,
    };
  if (mine.length > 0 && mine.every((r) => r.outcome === 'error')) return { status: 'inconclusive', summary: `no usable answer for ${what}`, evidence };
  return {
    status: 'passed',
    summary: `${what} ${mine.length === 1 ? 'was' : 'were'} not accepted (${mine.map((r) => r.status ?? 'no answer').join(', ')})`,
    evidence,
  };
}

function within(results: readonly ProbeResult[]): string {
  if (results.length < 2) return '';
  const seconds = (results.at(-1)!.at - results[0]!.at) / 1000;
  return ` within ${seconds < 1 ? 'less than a second' : `${Math.ceil(seconds)} s`}`;
}

/** About 160 characters around `index`, on one line. */
function around(text: string, index: number): string {
  const start = Math.max(0, index - 40);
  const end = Math.min(text.length, index + 120);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/g, ' ').trim()}${end < text.length ? '…' : ''}`;
}

/** The status line of one answer, or why there was none. */
export function answer(r: ProbeResult): string {
  return r.status === undefined ? `no answer (${r.error ?? 'unknown error'})` : `${r.status} ${r.outcome}`;
}
