/**
 * Supabase Auth as a protected SMS interface: its Send SMS hook (an HTTPS hook, signed with
 * Standard Webhooks) calls `POST /v1/hooks/supabase/{tenantId}/send-sms` on the shield's own
 * HTTP API. The signature, made with the secret an admin set for the tenant, is the only
 * authentication; each code is judged through the same service as `POST /v1/sms/send` and sent
 * only on allow. Supabase reads the answer of a 200 only, so a refusal is a 200 whose `error`
 * ({ http_code, message }) Supabase returns to the client.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import * as z from 'zod';
import { tenantIdSchema } from '../domain/tenant-id';
import type { Scenario } from '../domain/types';
import { type Policy, resolvePolicy } from '../engine/policy';
import type { Clock } from '../ports/clock';
import type { ReplayGuard } from '../ports/replay-guard';
import type { Tenant, TenantStore } from '../ports/tenant-store';
import type { SendRequest } from '../service/schemas';
import type { ServiceLogger, ShieldService } from '../service/shield-service';
import { DEFAULT_CODE_TEMPLATE } from '../service/tenant-admin';
import { errorName, HookRefusal, type RefusalCode, sendOrRefuse } from './hook-send';
import { json } from './middleware/http-errors';
import type { JsonEvent } from './middleware/json-body';
import { type ApiRoute, route } from './routing';

/** The route Supabase's Send SMS hook calls, one per tenant. */
export const SUPABASE_HOOK_PATH = '/v1/hooks/supabase/{tenantId}/send-sms';

/** What the client of a refused code gets from Supabase: the status and the message. */
export const SUPABASE_REFUSALS: Readonly<Record<RefusalCode, { readonly status: number; readonly message: string }>> = {
  SHIELD_CHALLENGE: { status: 403, message: 'Verification needed: complete the CAPTCHA, then ask for the code again.' },
  SHIELD_RATE_LIMITED: { status: 429, message: 'Too many codes were requested. Try again later.' },
  SHIELD_BLOCKED: { status: 403, message: 'A code cannot be sent to this phone number.' },
  SHIELD_INVALID_REQUEST: { status: 400, message: 'No code can be sent for this request.' },
  SHIELD_SEND_FAILED: { status: 502, message: 'The SMS could not be sent. Try again later.' },
  SHIELD_UNAVAILABLE: { status: 503, message: 'Codes cannot be sent right now. Try again shortly.' },
  // Never answered by the route (an unknown tenant or a missing secret is its 401): here for the type's sake.
  SHIELD_NOT_CONFIGURED: { status: 503, message: 'Codes cannot be sent: the SMS Shield hook is not configured.' },
};

/**
 * How far a delivery's timestamp may be from the clock, either way: the Standard Webhooks
 * library's fixed tolerance. A `webhook-id` is remembered this long after its timestamp.
 */
export const TIMESTAMP_TOLERANCE_SECONDS = 300;

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

/** Stands in for a missing secret, so an unknown tenant costs the same HMAC as a known one. */
const NO_SECRET = `v1,whsec_${randomBytes(32).toString('base64')}`;

/**
 * Whether `headers` carry a valid Standard Webhooks signature of `body` by one of `secrets`
 * (`v1,whsec_<base64>`), checked by the Standard Webhooks reference library: constant-time
 * comparison, and a timestamp within {@link TIMESTAMP_TOLERANCE_SECONDS} of the system clock.
 * Supabase joins the signatures of several secrets with ", "; the library splits on spaces.
 */
export function verifySignature(secrets: readonly string[], headers: Readonly<Record<string, string | undefined>>, body: string): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (!id || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const signatures = signature
    .split(/\s+/)
    .map((entry) => entry.replace(/,$/, ''))
    .filter(Boolean)
    .join(' ');
  const wanted = { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures };
  let valid = false;
  for (const secret of secrets.length > 0 ? secrets : [NO_SECRET]) {
    try {
      new Webhook(secret.replace(/^v1,/, '')).verify(body, wanted, { jsonParse: false });
      valid = secrets.length > 0;
    } catch {
      // Not this secret (or stale, or malformed): try the next.
    }
  }
  return valid;
}

export interface SupabaseHookDeps {
  readonly service: ShieldService;
  readonly tenants: TenantStore;
  readonly basePolicy?: Policy;
  /** Remembers each delivery's `webhook-id` for the tolerance window: a second delivery of one id is refused. */
  readonly replays: ReplayGuard;
  readonly logger: ServiceLogger;
  readonly clock: Clock;
}

const UNAUTHORIZED = json(401, { error: { http_code: 401, message: 'Invalid signature' } });

/** A refused code: 200, with the error Supabase hands the client. */
export function refused(code: RefusalCode, retryAfterSeconds?: number): APIGatewayProxyResultV2 {
  const { status, message } = SUPABASE_REFUSALS[code];
  const wait = code === 'SHIELD_RATE_LIMITED' && retryAfterSeconds !== undefined ? ` (retry after ${retryAfterSeconds} s)` : '';
  return json(200, { error: { http_code: status, message: `${code}: ${message}${wait}` } });
}

const tenantPathSchema = z.object({ tenantId: tenantIdSchema });

/**
 * The Send SMS hook route: find the tenant's hook secrets, verify the signature, refuse a
 * `webhook-id` seen before, validate the input, then judge and send through `ShieldService.send`.
 * An unknown tenant, a tenant without a secret, a wrong, stale or missing signature and a
 * replayed delivery all get the same 401, so the route tells nobody which tenants exist.
 * Logs name the tenant, scenario and outcome, never the number, the code or a secret.
 */
export function supabaseHookRoute(deps: SupabaseHookDeps): ApiRoute {
  const { logger } = deps;
  return route('POST', SUPABASE_HOOK_PATH, async (event: JsonEvent) => {
    const path = tenantPathSchema.safeParse(event.pathParameters ?? {});
    const headers = event.headers ?? {};
    const body = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
    let tenant: Tenant | undefined;
    if (path.success) {
      try {
        tenant = await deps.tenants.getTenant(path.data.tenantId);
      } catch (error) {
        logger.warn('Store unavailable for the Supabase hook', { tenant: path.data.tenantId, error: errorName(error) });
        return refused('SHIELD_UNAVAILABLE');
      }
    }
    if (!verifySignature(tenant?.supabaseHook?.secrets ?? [], headers, body) || !tenant) {
      logger.warn('Supabase hook call refused: unknown tenant, no hook secret set, or a missing, stale or wrong signature', {
        ...(path.success && { tenant: path.data.tenantId }),
      });
      return UNAUTHORIZED;
    }

    // Supabase signs every attempt with a new id: an id seen before is a replay, not a retry.
    const now = Math.floor(deps.clock.now() / 1000);
    const signedAt = Number(headers['webhook-timestamp']);
    const replayId = `supabase#${tenant.id}#${createHash('sha256')
      .update(headers['webhook-id'] ?? '')
      .digest('hex')}`;
    let first: boolean;
    try {
      first = await deps.replays.claim(replayId, Math.max(now, signedAt) + TIMESTAMP_TOLERANCE_SECONDS, now);
    } catch (error) {
      logger.warn('Store unavailable for the Supabase hook', { tenant: tenant.id, error: errorName(error) });
      return refused('SHIELD_UNAVAILABLE');
    }
    if (!first) {
      logger.warn('Supabase hook call refused: a webhook-id seen before (a replayed delivery)', { tenant: tenant.id });
      return UNAUTHORIZED;
    }

    const parsed = sendSmsHookSchema.safeParse(event.parsedBody);
    if (!parsed.success) {
      logger.warn('Not a Supabase Send SMS hook input', { tenant: tenant.id });
      return refused('SHIELD_INVALID_REQUEST');
    }
    const input = parsed.data;
    const phone = input.sms.phone || input.user.phone;
    if (!phone) {
      logger.warn('Supabase asked for an SMS without a phone number', { tenant: tenant.id });
      return refused('SHIELD_INVALID_REQUEST');
    }
    const scenario = scenarioOf(input);
    const template = tenant.supabaseHook?.codeTemplate ?? DEFAULT_CODE_TEMPLATE;
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
      const outcome = await sendOrRefuse(deps.service, { tenant, policy: resolvePolicy(tenant.policy, deps.basePolicy) }, send);
      logger.info('Supabase code judged', { tenant: tenant.id, scenario, outcome: outcome.kind });
      return json(200, {});
    } catch (error) {
      const refusal = error instanceof HookRefusal ? error : new HookRefusal('SHIELD_UNAVAILABLE');
      logger.info('Supabase code judged', { tenant: tenant.id, scenario, outcome: 'refused', refusal: refusal.code });
      return refused(refusal.code, refusal.retryAfterSeconds);
    }
  });
}
