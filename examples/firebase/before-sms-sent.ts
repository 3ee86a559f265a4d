/**
 * SMS Shield for Firebase Authentication with Identity Platform: the core of a `beforeSmsSent`
 * blocking function. Firebase sends the SMS itself, so the function only asks the shield for a
 * verdict (`POST /v1/verdicts`) with the end user's address, user agent and uid, and blocks the
 * SMS by throwing an `HttpsError`. See docs/firebase.md.
 *
 * This file has no dependency: copy it next to your functions' entry point and wire it there
 * (firebase-functions v6 or later):
 *
 * ```ts
 * import { defineSecret, defineString } from 'firebase-functions/params';
 * import { beforeSmsSent, HttpsError } from 'firebase-functions/v2/identity';
 * import { judgeSms, shieldVerdicts } from './before-sms-sent';
 *
 * const SHIELD_URL = defineString('SHIELD_URL');
 * const SHIELD_API_KEY = defineSecret('SHIELD_API_KEY');
 *
 * export const smsshield = beforeSmsSent({ secrets: [SHIELD_API_KEY], timeoutSeconds: 7 }, async (event) => {
 *   const decision = await judgeSms(event, shieldVerdicts({ url: SHIELD_URL.value(), apiKey: SHIELD_API_KEY.value() }));
 *   if (!decision.allow) throw new HttpsError(decision.status, decision.message);
 * });
 * ```
 *
 * Nothing here logs the phone number or the key.
 */

/** The parts of firebase-functions' `AuthBlockingEvent` for `beforeSmsSent` that the verdict needs. */
export interface SmsEvent {
  /** The end user's address, as Identity Platform saw it. */
  readonly ipAddress?: string;
  readonly userAgent?: string;
  /** `SIGN_IN_OR_SIGN_UP`, `MULTI_FACTOR_SIGN_IN` or `MULTI_FACTOR_ENROLLMENT`. */
  readonly smsType?: string;
  /** The number the SMS goes to (firebase-functions v6+). */
  readonly additionalUserInfo?: { readonly phoneNumber?: string | null } | null;
  /** The user, when there is one already (not for a first phone sign-up). */
  readonly data?: { readonly uid?: string; readonly phoneNumber?: string | null } | null;
}

/** Identity Platform's SMS types. */
export type SmsType = 'SIGN_IN_OR_SIGN_UP' | 'MULTI_FACTOR_SIGN_IN' | 'MULTI_FACTOR_ENROLLMENT';

/** The shield's answer to `POST /v1/verdicts`, or `unreachable` when there was none. */
export type ShieldAnswer = { readonly status: number; readonly verdict?: ShieldVerdict; readonly errorCode?: string } | { readonly status: 'unreachable' };

export interface ShieldVerdict {
  readonly decision: 'allow' | 'challenge' | 'block';
  readonly reasons: readonly string[];
  readonly retryAfterSeconds?: number;
  readonly shadow?: boolean;
}

/** The body of `POST /v1/verdicts` (see the OpenAPI document). */
export interface VerdictBody {
  readonly phone: string;
  readonly scenario: 'register' | 'login' | 'other';
  readonly ip: string;
  readonly userAgent?: string;
  readonly account?: string;
}

export type CallShield = (body: VerdictBody) => Promise<ShieldAnswer>;

/** What the blocking function does: nothing, or throw `new HttpsError(status, message)`. */
export type SmsDecision =
  | { readonly allow: true; readonly reasons: readonly string[]; readonly failedOpen?: boolean }
  | {
      readonly allow: false;
      /** The `HttpsError` code. */
      readonly status: 'permission-denied' | 'resource-exhausted' | 'unavailable' | 'invalid-argument';
      /** `SHIELD_…: words for the end user`. */
      readonly message: string;
      readonly reasons: readonly string[];
    };

/**
 * When the shield cannot answer, which SMS go out anyway. A second factor for a user who has
 * passed the first, to a number enrolled earlier (and judged then), goes out: an attacker
 * cannot point it at numbers of their choosing. A sign-in or sign-up code and an enrollment
 * code go to any number the caller types, which is what SMS pumping needs: they wait.
 */
export const FAIL_OPEN_DEFAULT: readonly SmsType[] = ['MULTI_FACTOR_SIGN_IN'];

/** A phone sign-in of a user Identity Platform knows is a `login`; without a user, a sign-up. */
function scenarioOf(smsType: string, uid: string | undefined): VerdictBody['scenario'] {
  switch (smsType) {
    case 'SIGN_IN_OR_SIGN_UP':
      return uid ? 'login' : 'register';
    case 'MULTI_FACTOR_SIGN_IN':
      return 'login';
    case 'MULTI_FACTOR_ENROLLMENT':
      return 'register';
    default:
      return 'other';
  }
}

export const MESSAGES = {
  SHIELD_BLOCKED: 'A code cannot be sent to this phone number.',
  SHIELD_RATE_LIMITED: 'Too many codes were requested. Try again later.',
  SHIELD_CHALLENGE: 'A code cannot be sent right now. Try again later.',
  SHIELD_INVALID_REQUEST: 'No code can be sent for this request.',
  SHIELD_UNAVAILABLE: 'Codes cannot be sent right now. Try again shortly.',
} as const;

const refuse = (
  status: Extract<SmsDecision, { allow: false }>['status'],
  code: keyof typeof MESSAGES,
  reasons: readonly string[] = [],
  retryAfterSeconds?: number,
): SmsDecision => ({
  allow: false,
  status,
  message: `${code}: ${MESSAGES[code]}${retryAfterSeconds ? ` (retry after ${retryAfterSeconds} s)` : ''}`,
  reasons,
});

/**
 * The pure core: the verdict for `event`'s SMS, as the blocking function's decision. A phone
 * sign-in of an existing user and an MFA sign-in are judged as `login`; a phone sign-in without
 * a user (a sign-up) and an MFA enrollment as `register`. When there is no verdict (the shield
 * unreachable or failing, its key refused, no number or address in the event) `failOpen` decides.
 */
export async function judgeSms(event: SmsEvent, callShield: CallShield, options: { failOpen?: readonly string[] } = {}): Promise<SmsDecision> {
  const smsType = (event.smsType ?? 'SIGN_IN_OR_SIGN_UP') as SmsType;
  const failOpen = (options.failOpen ?? FAIL_OPEN_DEFAULT).includes(smsType);
  const unavailable = (): SmsDecision => (failOpen ? { allow: true, reasons: [], failedOpen: true } : refuse('unavailable', 'SHIELD_UNAVAILABLE'));

  const phone = event.additionalUserInfo?.phoneNumber ?? event.data?.phoneNumber ?? undefined;
  if (!phone || !event.ipAddress) return unavailable();
  const body: VerdictBody = {
    phone,
    scenario: scenarioOf(smsType, event.data?.uid),
    ip: event.ipAddress,
    ...(event.userAgent && { userAgent: event.userAgent.slice(0, 1024) }),
    ...(event.data?.uid && { account: event.data.uid.slice(0, 256) }),
  };

  let answer: ShieldAnswer;
  try {
    answer = await callShield(body);
  } catch {
    answer = { status: 'unreachable' };
  }
  if (answer.status !== 200 || !answer.verdict) {
    // 429 TENANT_USAGE_LIMIT: the tenant's own verdict budget is spent; a flood, not an outage.
    if (answer.status === 429) return refuse('resource-exhausted', 'SHIELD_RATE_LIMITED');
    // 400: the shield finds the request malformed (an address it cannot read): nothing to judge.
    if (answer.status === 400) return refuse('invalid-argument', 'SHIELD_INVALID_REQUEST');
    return unavailable();
  }
  const { verdict } = answer;
  if (verdict.decision === 'allow' || verdict.shadow) return { allow: true, reasons: verdict.reasons };
  // The shield's proof-of-work challenge cannot be shown through Firebase's phone sign-in.
  if (verdict.decision === 'challenge') return refuse('permission-denied', 'SHIELD_CHALLENGE', verdict.reasons);
  if (verdict.retryAfterSeconds !== undefined) return refuse('resource-exhausted', 'SHIELD_RATE_LIMITED', verdict.reasons, verdict.retryAfterSeconds);
  return refuse('permission-denied', 'SHIELD_BLOCKED', verdict.reasons);
}

/**
 * `POST /v1/verdicts` on the shield at `url` with the tenant's `apiKey`, within `timeoutMs`
 * (Identity Platform waits 7 s for the whole function). Rejects only when there is no answer.
 */
export function shieldVerdicts(config: { url: string; apiKey: string; timeoutMs?: number; fetch?: typeof fetch }): CallShield {
  const doFetch = config.fetch ?? fetch;
  const base = config.url.replace(/\/+$/, '');
  return async (body) => {
    const response = await doFetch(`${base}/v1/verdicts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(config.timeoutMs ?? 4000),
    });
    const answer = (await response.json().catch(() => ({}))) as { verdict?: ShieldVerdict; error?: { code?: string } };
    return { status: response.status, ...(answer.verdict && { verdict: answer.verdict }), ...(answer.error?.code && { errorCode: answer.error.code }) };
  };
}
