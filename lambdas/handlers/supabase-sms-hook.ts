/**
 * Supabase Auth as a protected SMS interface: its Send SMS hook (an HTTPS hook, signed with
 * Standard Webhooks) hands every code to this handler, which judges it through the same service
 * as `POST /v1/sms/send` and sends it only on allow. Supabase reads the answer of a 200 only, so
 * a refusal is a 200 whose `error` ({ http_code, message }) Supabase returns to the client.
 * `supabase-sms-hook-lambda.ts` is the Lambda entry point (a function URL).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import type { Scenario } from '../domain/types';
import type { Policy } from '../engine/policy';
import type { Clock } from '../ports/clock';
import type { TenantStore } from '../ports/tenant-store';
import type { SendRequest } from '../service/schemas';
import type { ServiceLogger, ShieldService } from '../service/shield-service';
import { templateProblem } from '../shared/sms-templates';
import { HookRefusal, type RefusalCode, sendOrRefuse, TenantById } from './hook-send';

/** What the client of a refused code gets from Supabase: the status and the message. */
export const SUPABASE_REFUSALS: Readonly<Record<RefusalCode, { readonly status: number; readonly message: string }>> = {
  SHIELD_CHALLENGE: { status: 403, message: 'Verification needed: complete the CAPTCHA, then ask for the code again.' },
  SHIELD_RATE_LIMITED: { status: 429, message: 'Too many codes were requested. Try again later.' },
  SHIELD_BLOCKED: { status: 403, message: 'A code cannot be sent to this phone number.' },
  SHIELD_INVALID_REQUEST: { status: 400, message: 'No code can be sent for this request.' },
  SHIELD_SEND_FAILED: { status: 502, message: 'The SMS could not be sent. Try again later.' },
  SHIELD_UNAVAILABLE: { status: 503, message: 'Codes cannot be sent right now. Try again shortly.' },
  SHIELD_NOT_CONFIGURED: { status: 503, message: 'Codes cannot be sent: the SMS Shield hook is not configured.' },
};

/** How far a hook's timestamp may be from the clock, either way (the Standard Webhooks default). */
export const TIMESTAMP_TOLERANCE_SECONDS = 300;

/**
 * Whether `headers` carry a valid Standard Webhooks signature of `body` by one of `secrets`
 * (`v1,whsec_<base64>`, as Supabase shows them), made within the tolerance of `nowSeconds`.
 * Constant-time comparison; an unusable secret verifies nothing.
 */
export function verifyWebhook(
  secrets: readonly string[],
  headers: Readonly<Record<string, string | undefined>>,
  body: string,
  nowSeconds: number,
  toleranceSeconds = TIMESTAMP_TOLERANCE_SECONDS,
): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  // "v1,<base64> v1,<base64>" (Supabase joins several with ", ").
  const offered = signatures
    .split(/\s+/)
    .map((entry) => entry.replace(/,$/, ''))
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  for (const secret of secrets) {
    const key = webhookKey(secret);
    if (!key) continue;
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
    if (offered.some((signature) => signature.length === expected.length && timingSafeEqual(signature, expected))) return true;
  }
  return false;
}

/** The HMAC key of a `v1,whsec_<base64>` (or `whsec_<base64>`) secret; undefined for anything else. */
export function webhookKey(secret: string): Buffer | undefined {
  const match = /^(?:v1,)?whsec_([A-Za-z0-9+/=]{16,})$/.exec(secret.trim());
  if (!match) return undefined;
  const key = Buffer.from(match[1]!, 'base64');
  return key.length >= 16 ? key : undefined;
}

/** The secrets in a hook-secret value: one, or several separated by spaces or `|` (rotation). */
export function hookSecrets(value: string): string[] {
  return value
    .split(/[\s|]+/)
    .map((secret) => secret.trim())
    .filter((secret) => webhookKey(secret) !== undefined);
}

/** The Send SMS hook's input, as Supabase Auth documents it (`user`, `sms.otp`; `sms.phone` in newer versions). */
export const sendSmsHookSchema = z.looseObject({
  user: z.looseObject({
    id: z.string().min(1).max(128),
    phone: z.string().max(64).optional(),
    phone_confirmed_at: z.string().nullish(),
  }),
  sms: z.looseObject({
    otp: z.string().min(1).max(64),
    phone: z.string().max(64).optional(),
  }),
});
export type SendSmsHookInput = z.infer<typeof sendSmsHookSchema>;

/**
 * Supabase does not say why it sends a code: a number never confirmed is a sign-up (`register`),
 * a code to another number than the user's is a phone change (`other`), the rest a sign-in (`login`).
 */
export function scenarioOf(input: SendSmsHookInput): Scenario {
  const to = input.sms.phone || input.user.phone;
  if (input.sms.phone && input.user.phone && digits(input.sms.phone) !== digits(input.user.phone)) return 'other';
  if (!input.user.phone_confirmed_at || !to) return 'register';
  return 'login';
}

const digits = (phone: string) => phone.replace(/\D/g, '');

/** What the Lambda entry hands over: the request as received. */
export interface HookRequest {
  readonly method: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The raw body, exactly as signed. */
  readonly body: string;
}

/** A function URL event (payload 2.0) as a {@link HookRequest}: header names lower-cased, the body as it was signed. */
export function hookRequestOf(event: {
  readonly requestContext?: { readonly http?: { readonly method?: string } };
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}): HookRequest {
  return {
    method: event.requestContext?.http?.method ?? 'POST',
    headers: Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
    body: event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : (event.body ?? ''),
  };
}

export interface HookResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface SupabaseSmsHookDeps {
  readonly service: ShieldService;
  readonly tenants: TenantStore;
  readonly tenantId: string;
  readonly basePolicy?: Policy;
  /**
   * The hook's secrets (`v1,whsec_…`): none means the hook is not configured yet. Asked again
   * with `stale: true` when a signature does not verify, so a secret put in after the cold start
   * (or rotated) is picked up.
   */
  readonly secrets: (stale?: boolean) => Promise<readonly string[]>;
  /** SMS text with `{code}`. @default 'Your verification code is {code}' */
  readonly codeTemplate?: string;
  readonly logger: ServiceLogger;
  readonly clock: Clock;
}

const json = (statusCode: number, body: unknown): HookResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** A refused code: 200, with the error Supabase hands the client. */
const refused = (code: RefusalCode, retryAfterSeconds?: number): HookResponse => {
  const { status, message } = SUPABASE_REFUSALS[code];
  const wait = code === 'SHIELD_RATE_LIMITED' && retryAfterSeconds !== undefined ? ` (retry after ${retryAfterSeconds} s)` : '';
  return json(200, { error: { http_code: status, message: `${code}: ${message}${wait}` } });
};

/**
 * The Send SMS hook: verify the signature, validate the input, judge and send through
 * `ShieldService.send`. Logs name the scenario and outcome, never the number or the code.
 */
export function createSupabaseSmsHook(deps: SupabaseSmsHookDeps): (request: HookRequest) => Promise<HookResponse> {
  const template = deps.codeTemplate ?? 'Your verification code is {code}';
  const problem = templateProblem(template);
  if (problem) throw new Error(`Supabase SMS hook: the code template ${problem}`);
  const tenants = new TenantById({ ...deps, integration: 'Supabase hook' });
  const { logger } = deps;

  return async (request: HookRequest): Promise<HookResponse> => {
    if (request.method !== 'POST') return json(405, { error: { http_code: 405, message: 'POST only' } });
    let secrets: readonly string[];
    try {
      secrets = await deps.secrets();
    } catch {
      logger.error('Could not read the Supabase hook secret');
      return refused('SHIELD_UNAVAILABLE');
    }
    if (secrets.length === 0) {
      logger.error('The Supabase hook secret is not set: put the secret Supabase shows for the hook (v1,whsec_…) into it');
      return refused('SHIELD_NOT_CONFIGURED');
    }
    const now = Math.floor(deps.clock.now() / 1000);
    if (!verifyWebhook(secrets, request.headers, request.body, now)) {
      const fresh = await deps.secrets(true).catch(() => secrets);
      if (fresh === secrets || !verifyWebhook(fresh, request.headers, request.body, now)) {
        logger.warn('Supabase hook call with a missing, stale or wrong signature');
        return json(401, { error: { http_code: 401, message: 'Invalid signature' } });
      }
    }
    let input: SendSmsHookInput;
    try {
      input = sendSmsHookSchema.parse(JSON.parse(request.body));
    } catch {
      logger.warn('Not a Supabase Send SMS hook input');
      return refused('SHIELD_INVALID_REQUEST');
    }
    const phone = input.sms.phone || input.user.phone;
    if (!phone) {
      logger.warn('Supabase asked for an SMS without a phone number');
      return refused('SHIELD_INVALID_REQUEST');
    }
    const scenario = scenarioOf(input);
    const send: SendRequest = {
      phone,
      scenario,
      // Supabase tells the hook nothing of the end user's connection.
      ip: '',
      account: input.user.id,
      // The same input on a retry (Supabase signs each attempt anew, so not its webhook-id).
      idempotencyKey: `supabase:${createHash('sha256').update(`${input.user.id}\n${phone}\n${input.sms.otp}`).digest('hex')}`,
      message: template.replace('{code}', () => input.sms.otp),
    };
    try {
      const tenant = await tenants.get();
      const outcome = await sendOrRefuse(deps.service, tenant, send);
      logger.info('Supabase code judged', { scenario, outcome: outcome.kind });
      return json(200, {});
    } catch (error) {
      const refusal = error instanceof HookRefusal ? error : new HookRefusal('SHIELD_UNAVAILABLE');
      logger.info('Supabase code judged', { scenario, outcome: 'refused', refusal: refusal.code });
      return refused(refusal.code, refusal.retryAfterSeconds);
    }
  };
}
