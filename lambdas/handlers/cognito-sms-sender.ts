/**
 * Amazon Cognito as a protected SMS interface: the user pool's custom SMS sender trigger judges
 * every code through the same service as `POST /v1/sms/send` and sends it only on allow; the
 * optional post confirmation / post authentication trigger reports the codes that worked.
 * Built from ports here; `cognito-sms-sender-lambda.ts` and `cognito-feedback-lambda.ts` are
 * the Lambda entry points.
 */
import { createHash } from 'node:crypto';
import type { CodeDecryptor } from '../adapters/aws/cognito-code-decryptor';
import { AggregateStats } from '../engine/aggregate-stats';
import { EventRecorder } from '../engine/events';
import type { Hasher } from '../engine/hasher';
import type { Policy } from '../engine/policy';
import { VerificationLedger } from '../engine/verification-ledger';
import type { Clock } from '../ports/clock';
import type { CounterStore } from '../ports/counter-store';
import type { EventStore } from '../ports/event-store';
import type { TenantStore } from '../ports/tenant-store';
import type { VerificationStore } from '../ports/verification-store';
import { hasForbiddenControlChars } from '../service/message';
import type { SendRequest } from '../service/schemas';
import type { ServiceLogger, ShieldService } from '../service/shield-service';
import { templateProblem } from '../shared/sms-templates';
import { errorName, HookRefusal, isPublicAddress, type RefusalCode, sendOrRefuse, TenantById } from './hook-send';
import {
  type CustomSmsSenderEvent,
  customSmsSenderEventSchema,
  feedbackEventSchema,
  issuePaths,
  METADATA_KEYS,
  SCENARIO_OF_SMS_TRIGGER,
} from './cognito-events';

/** The reason classes of a refused code: the first word of the message the app sees. */
export const REFUSAL_MESSAGES: Readonly<Record<RefusalCode, string>> = {
  /** The verdict asks for a proof-of-work challenge. */
  SHIELD_CHALLENGE: `Verification needed: solve the challenge and pass its solution as clientMetadata.${METADATA_KEYS.challenge}, then ask for the code again.`,
  /** Too many codes for this number, address, device or tenant. */
  SHIELD_RATE_LIMITED: 'Too many codes were requested. Try again later.',
  /** The verdict is block. */
  SHIELD_BLOCKED: 'A code cannot be sent to this phone number.',
  /** The user has no phone number, or Cognito sent something else than a custom SMS sender event. */
  SHIELD_INVALID_REQUEST: 'No code can be sent for this request.',
  /** SNS did not take the SMS: nothing was sent. */
  SHIELD_SEND_FAILED: 'The SMS could not be sent. Try again later.',
  /** The store, KMS or the tenant could not be read: nothing was sent. */
  SHIELD_UNAVAILABLE: 'Codes cannot be sent right now. Try again shortly.',
  /** The tenant named at deploy time does not exist (yet). */
  SHIELD_NOT_CONFIGURED: 'Codes cannot be sent: the SMS Shield tenant of this user pool does not exist.',
};

/**
 * A code the shield did not send. Cognito fails the request that asked for it with this message
 * (`CustomSMSSender failed with error SHIELD_…: …`): short, stable, without the number or code.
 */
export class CognitoSmsRefusal extends Error {
  override readonly name = 'CognitoSmsRefusal';
  constructor(
    readonly code: RefusalCode,
    detail?: string,
  ) {
    super(`${code}: ${REFUSAL_MESSAGES[code]}${detail ? ` ${detail}` : ''}`);
  }
}

/** The SMS text of a code, and of an administrator-created user's temporary password. */
export interface CognitoTemplates {
  /** With `{code}`. @default 'Your verification code is {code}' */
  readonly code?: string;
  /** With `{code}` (the temporary password). @default 'Your temporary password is {code}' */
  readonly temporaryPassword?: string;
}

export const DEFAULT_TEMPLATES: Required<CognitoTemplates> = {
  code: 'Your verification code is {code}',
  temporaryPassword: 'Your temporary password is {code}',
};

export interface CognitoSmsSenderDeps {
  readonly service: ShieldService;
  /** Where the tenant is read from (by id). */
  readonly tenants: TenantStore;
  /** The tenant this user pool's codes are judged as (created with the admin API or CLI). */
  readonly tenantId: string;
  /** The deployment's policy defaults (e.g. shadow mode), as for the API. */
  readonly basePolicy?: Policy;
  readonly decrypt: CodeDecryptor;
  readonly templates?: CognitoTemplates;
  readonly logger: ServiceLogger;
  readonly clock: Clock;
  /** How long the tenant is trusted before it is read again. @default 30_000 ms */
  readonly tenantTtlMs?: number;
}

/** What the app passed in `clientMetadata`, fit for a send request, and which keys were ignored. */
export function readClaims(metadata: Readonly<Record<string, string>> | null | undefined): {
  readonly ip: string;
  readonly userAgent?: string;
  readonly device?: string;
  readonly challenge?: string;
  readonly ignored: string[];
} {
  const ignored: string[] = [];
  const take = (key: string, max: number): string | undefined => {
    const value = metadata?.[key];
    if (value === undefined || value === '') return undefined;
    if (value.length > max) {
      ignored.push(key);
      return undefined;
    }
    return value;
  };
  const rawIp = take(METADATA_KEYS.ip, 64)?.trim();
  const ip = rawIp !== undefined && isPublicAddress(rawIp) ? rawIp : '';
  if (rawIp !== undefined && ip === '') ignored.push(METADATA_KEYS.ip);
  const userAgent = take(METADATA_KEYS.userAgent, 1024);
  const device = take(METADATA_KEYS.device, 4096);
  const challenge = take(METADATA_KEYS.challenge, 8192);
  return { ip, ...(userAgent && { userAgent }), ...(device && { device }), ...(challenge && { challenge }), ignored };
}

/**
 * Stable across Cognito's retries of one invocation (same pool, user, trigger and ciphertext),
 * different for every new code: a retry replays the first outcome instead of sending again.
 */
export function idempotencyKeyOf(event: Pick<CustomSmsSenderEvent, 'userPoolId' | 'userName' | 'triggerSource'> & { request: { code: string } }): string {
  return `cognito:${createHash('sha256').update(`${event.userPoolId}\n${event.userName}\n${event.triggerSource}\n${event.request.code}`).digest('hex')}`;
}

/**
 * The custom SMS sender: validate the event, read the claims in `clientMetadata`, decrypt the
 * code, judge and send through `ShieldService.send`; any outcome but a sent (or possibly sent)
 * SMS throws a {@link CognitoSmsRefusal}. Logs name the trigger, scenario and outcome, never the
 * number, the code or the metadata values.
 */
export function createCognitoSmsSender(deps: CognitoSmsSenderDeps): (event: unknown) => Promise<void> {
  const templates: Required<CognitoTemplates> = {
    code: deps.templates?.code ?? DEFAULT_TEMPLATES.code,
    temporaryPassword: deps.templates?.temporaryPassword ?? DEFAULT_TEMPLATES.temporaryPassword,
  };
  for (const [name, template] of Object.entries(templates)) {
    const problem = templateProblem(template);
    if (problem) throw new Error(`Cognito SMS sender: the ${name} template ${problem}`);
  }
  const tenants = new TenantById({ ...deps, integration: 'Cognito sender' }, deps.tenantTtlMs);
  const { logger } = deps;

  return async (event: unknown): Promise<void> => {
    const parsed = customSmsSenderEventSchema.safeParse(event);
    if (!parsed.success) {
      logger.warn('Not a Cognito custom SMS sender event', { issues: issuePaths(parsed.error) });
      throw new CognitoSmsRefusal('SHIELD_INVALID_REQUEST');
    }
    const { triggerSource, request, userName } = parsed.data;
    const scenario = SCENARIO_OF_SMS_TRIGGER[triggerSource];
    const phone = request.userAttributes.phone_number;
    if (!phone) {
      logger.warn('Cognito asked for an SMS to a user without a phone number', { triggerSource });
      throw new CognitoSmsRefusal('SHIELD_INVALID_REQUEST');
    }
    const claims = readClaims(request.clientMetadata);
    const tenant = await tenants.get().catch(asCognitoRefusal);

    let code: string;
    try {
      code = await deps.decrypt(request.code);
    } catch (error) {
      // The name only: nothing of the ciphertext or the key material.
      logger.error('Could not decrypt the Cognito code', { triggerSource, error: errorName(error) });
      throw new CognitoSmsRefusal('SHIELD_UNAVAILABLE');
    }
    const template = triggerSource === 'CustomSMSSender_AdminCreateUser' ? templates.temporaryPassword : templates.code;
    const message = template.replace('{code}', () => code);
    if (hasForbiddenControlChars(message)) {
      logger.warn('The decrypted Cognito code holds control characters', { triggerSource });
      throw new CognitoSmsRefusal('SHIELD_INVALID_REQUEST');
    }

    const { ignored, ...attempt } = claims;
    const send: SendRequest = {
      ...attempt,
      phone,
      scenario,
      // The user pool's own id of the user: the account whose devices and networks are learnt.
      account: (request.userAttributes.sub || userName).slice(0, 256),
      idempotencyKey: idempotencyKeyOf(parsed.data),
      message,
    };
    const judged = {
      triggerSource,
      scenario,
      claims: Object.keys(attempt).filter((key) => key !== 'ip' || attempt.ip !== ''),
      ...(ignored.length > 0 && { ignoredClaims: ignored }),
    };
    try {
      const outcome = await sendOrRefuse(deps.service, tenant, send);
      logger.info('Cognito code judged', { ...judged, outcome: outcome.kind });
    } catch (error) {
      const refusal = cognitoRefusalOf(error);
      logger.info('Cognito code judged', { ...judged, outcome: 'refused', refusal: refusal.code });
      throw refusal;
    }
  };
}

/** A shared refusal as the error Cognito shows; anything unexpected as `SHIELD_UNAVAILABLE`. */
function cognitoRefusalOf(error: unknown): CognitoSmsRefusal {
  if (error instanceof CognitoSmsRefusal) return error;
  if (error instanceof HookRefusal) {
    return new CognitoSmsRefusal(error.code, error.code === 'SHIELD_RATE_LIMITED' ? `(retry after ${error.retryAfterSeconds ?? 60} s)` : undefined);
  }
  return new CognitoSmsRefusal('SHIELD_UNAVAILABLE');
}

function asCognitoRefusal(error: unknown): never {
  throw cognitoRefusalOf(error);
}

/** A successful verification of a code the shield sent, for the conversion signals. */
export type RecordVerification = (outcome: { tenant: string; phone: string; success: true }) => Promise<boolean>;

/**
 * What the feedback function needs of the shield, without the engine: the ledger that credits a
 * verification, with its own statistics synced after each credit (a short-lived function would
 * otherwise lose them) and verify events for the joint-defense job.
 */
export function verificationRecorder(ports: {
  readonly verifications: VerificationStore;
  readonly counters: CounterStore;
  readonly events?: EventStore;
  readonly hasher: Hasher;
  readonly clock: Clock;
  readonly logger: ServiceLogger;
}): RecordVerification {
  const stats = new AggregateStats(ports.counters);
  const onError = (error: unknown) => ports.logger.warn('Could not record a verify event or verification credit', { error: errorName(error) });
  const ledger = new VerificationLedger({
    verifications: ports.verifications,
    counters: ports.counters,
    hasher: ports.hasher,
    clock: ports.clock,
    stats,
    events: new EventRecorder(ports.events, onError),
    onCreditError: onError,
  });
  return async (outcome) => {
    const credited = await ledger.recordVerification(outcome);
    if (credited) await stats.sync(ports.clock.now());
    return credited;
  };
}

export interface CognitoFeedbackDeps {
  readonly tenantId: string;
  readonly record: RecordVerification;
  readonly logger: ServiceLogger;
}

/**
 * The post confirmation / post authentication trigger: a user who confirmed the sign-up or the
 * password reset, or signed in, with a verified phone number has used the code the shield sent
 * it (if one is pending): credit it. Never fails the user's request: it returns the event as it
 * came, whatever happens.
 */
export function createCognitoFeedback(deps: CognitoFeedbackDeps): <E>(event: E) => Promise<E> {
  const { logger } = deps;
  return async <E>(event: E): Promise<E> => {
    const parsed = feedbackEventSchema.safeParse(event);
    if (!parsed.success) {
      logger.warn('Not a Cognito post confirmation or post authentication event', { issues: issuePaths(parsed.error) });
      return event;
    }
    const { triggerSource, request } = parsed.data;
    const phone = request.userAttributes.phone_number;
    // Only a verified number: an unverified one (a pending change) proves nothing about a code.
    if (!phone || request.userAttributes.phone_number_verified !== 'true') return event;
    try {
      const credited = await deps.record({ tenant: deps.tenantId, phone, success: true });
      logger.info('Cognito verification reported', { triggerSource, credited });
    } catch (error) {
      logger.warn('Could not report a Cognito verification', { triggerSource, error: errorName(error) });
    }
    return event;
  };
}
