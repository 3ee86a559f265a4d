import type { ParsedPhone } from '../engine/phone';
import { AuditError, parseTestNumber } from './numbers';

/** Requests an audit may send at most, whatever `--max-requests` asks for. */
export const HARD_MAX_REQUESTS = 50;
export const DEFAULT_MAX_REQUESTS = 20;
export const DEFAULT_DELAY_MS = 1_000;
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Everything an audit needs, validated. */
export interface AuditConfig {
  /** The endpoint that sends an SMS (POST). */
  readonly url: URL;
  /** The user's own test number. */
  readonly phone: ParsedPhone;
  /** Without it nothing is sent: the plan is printed instead. */
  readonly execute: boolean;
  /** Upper bound on requests sent, at most HARD_MAX_REQUESTS. */
  readonly maxRequests: number;
  /** Pause between two requests. */
  readonly delayMs: number;
  /** Per-request timeout, headers and body included. */
  readonly timeoutMs: number;
  /** JSON field that carries the number in the default body. */
  readonly phoneField: string;
  /** JSON body with `{{phone}}` (and optionally `{{country}}`) placeholders, instead of `{ [phoneField]: phone }`. */
  readonly bodyTemplate?: string;
  /** Extra request headers (authentication, cookies…); their values are never printed. */
  readonly headers: readonly (readonly [string, string])[];
}

/** The options as the command line gives them: strings, before validation. */
export interface RawAuditOptions {
  url?: string;
  phone?: string;
  country?: string;
  execute?: boolean;
  maxRequests?: string;
  delayMs?: string;
  timeoutMs?: string;
  phoneField?: string;
  bodyTemplate?: string;
  header?: string[];
}

const HEADER = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*)$/;
// Headers the HTTP client owns, or that would change where or how the request goes.
const FORBIDDEN_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'expect', 'upgrade', 'te', 'trailer']);

/** Validate command-line options; every problem becomes an AuditError with one clear sentence. */
export function parseAuditConfig(raw: RawAuditOptions): AuditConfig {
  const url = parseUrl(raw.url);
  if (!raw.phone) throw new AuditError('--phone is required: the number you own and will receive test codes on');
  if (raw.country !== undefined && !/^[A-Za-z]{2}$/.test(raw.country))
    throw new AuditError(`--country must be an ISO region code such as GB, not ${JSON.stringify(raw.country)}`);
  const phone = parseTestNumber(raw.phone, raw.country);
  if (raw.bodyTemplate !== undefined && raw.phoneField !== undefined) {
    throw new AuditError('use either --phone-field or --body-template (the template names the field itself)');
  }
  const phoneField = raw.phoneField ?? 'phone';
  if (!/^[A-Za-z_][\w.-]{0,63}$/.test(phoneField)) throw new AuditError(`--phone-field ${JSON.stringify(phoneField)} is not a plain JSON field name`);
  if (raw.bodyTemplate !== undefined) checkTemplate(raw.bodyTemplate);
  return {
    url,
    phone,
    execute: raw.execute === true,
    maxRequests: integer(
      '--max-requests',
      raw.maxRequests,
      DEFAULT_MAX_REQUESTS,
      1,
      HARD_MAX_REQUESTS,
      ` (the hard cap is ${HARD_MAX_REQUESTS}, so an audit can never become a flood)`,
    ),
    delayMs: integer('--delay-ms', raw.delayMs, DEFAULT_DELAY_MS, 0, 60_000),
    timeoutMs: integer('--timeout-ms', raw.timeoutMs, DEFAULT_TIMEOUT_MS, 100, 60_000),
    phoneField,
    bodyTemplate: raw.bodyTemplate,
    headers: (raw.header ?? []).map(parseHeader),
  };
}

function parseUrl(raw: string | undefined): URL {
  if (!raw) throw new AuditError('--url is required: the endpoint of yours that sends an SMS');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AuditError(`--url ${JSON.stringify(raw)} is not a URL (expected e.g. https://api.example.com/send-code)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AuditError(`--url must be http or https, not ${url.protocol.replace(/:$/, '')}`);
  if (url.username || url.password) throw new AuditError('--url must not contain credentials: pass them with --header (header values are never printed)');
  return url;
}

function integer(flag: string, raw: string | undefined, fallback: number, min: number, max: number, why = ''): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new AuditError(`${flag} must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}${why}`);
  }
  return value;
}

function parseHeader(raw: string): readonly [string, string] {
  const match = HEADER.exec(raw);
  if (!match) throw new AuditError(`--header ${JSON.stringify(raw.split(':')[0])} must look like 'Name: value'`);
  const name = match[1]!;
  if (FORBIDDEN_HEADERS.has(name.toLowerCase())) throw new AuditError(`--header ${name} cannot be set: the HTTP client sets it`);
  if (/[\r\n]/.test(match[2]!)) throw new AuditError(`--header ${name} must be on one line`);
  return [name, match[2]!.trim()];
}

function checkTemplate(template: string): void {
  if (!template.includes('{{phone}}')) throw new AuditError('--body-template must contain {{phone}} where the number goes, e.g. \'{"to":"{{phone}}"}\'');
  try {
    JSON.parse(fillTemplate(template, '+44 7400 123456', 'GB'));
  } catch {
    throw new AuditError('--body-template is not valid JSON once {{phone}} is filled in (put the placeholder inside quotes: "{{phone}}")');
  }
}

/** Fill `{{phone}}` and `{{country}}`, escaped for use inside a JSON string. */
export function fillTemplate(template: string, phone: string, country: string): string {
  const inString = (value: string) => JSON.stringify(value).slice(1, -1);
  return template.replaceAll('{{phone}}', inString(phone)).replaceAll('{{country}}', inString(country));
}
