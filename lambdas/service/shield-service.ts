import type { Assessment, RiskEngine } from '../engine/engine';
import { maskPhone } from '../engine/phone';
import type { ChallengeCheck, DeviceSignals, Scenario, SendAttempt, Verdict } from '../domain/types';
import { ThrottledKeysError } from '../ports/counter-store';
import { SmsOutcomeUnknownError, type SmsSender } from '../ports/sms-sender';
import { storeUnavailable, tenantUsageLimit } from '../domain/errors';
import type { Idempotency } from './idempotency';
import type { SendOutcome } from './send-outcome';
import type { SendRequest, VerdictRequest } from './schemas';
import type { ResolvedTenant } from './tenant-directory';

export type { SendOutcome } from './send-outcome';

/** Checks a proof-of-work solution. Until one is configured, solutions are not considered. */
export interface ChallengeVerifier {
  check(solution: string, tenant: string): Promise<ChallengeCheck>;
}

/**
 * Reads the `device` value: the id inside a valid signed device token, or the value itself,
 * with what was learnt about it. Never throws for bad tokens.
 */
export interface DeviceTokenReader {
  signals(value: string): { device: string; signals: DeviceSignals };
}

/** Minimal logging surface, satisfied by the Powertools logger and by test doubles. */
export interface ServiceLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

export interface ShieldServiceDeps {
  readonly engine: RiskEngine;
  readonly sender: SmsSender;
  readonly logger: ServiceLogger;
  readonly challenges?: ChallengeVerifier;
  /** When set, device values are verified as device tokens and their signals reach the engine. */
  readonly devices?: DeviceTokenReader;
  /** Called with every settled verdict (metrics, events). */
  readonly onVerdict?: (record: VerdictRecord) => void;
  /** Deduplicates sends by `idempotencyKey`; absent: the key is ignored. */
  readonly idempotency?: Idempotency;
}

/** What happened to one attempt, with identifiers already masked or hashed. */
export interface VerdictRecord {
  readonly tenant: string;
  readonly scenario: string;
  readonly verdict: Verdict;
  readonly country: string | undefined;
  readonly maskedPhone: string | undefined;
  /** The SMS went out, or may have (`outcomeUnknown`): spend estimates stay on the safe side. */
  readonly sent: boolean;
  /** The provider's answer was lost: the SMS may or may not be out (answered 504). */
  readonly outcomeUnknown?: boolean;
  readonly kind: 'send' | 'verdict';
}

/**
 * The protected send: verdict first, SNS only after a clean verdict (or in shadow mode),
 * quota given back whenever no SMS went out, and `sent` always the truth (`null` when unknown).
 */
export class ShieldService {
  constructor(private readonly deps: ShieldServiceDeps) {}

  async verdict(tenant: ResolvedTenant, request: VerdictRequest): Promise<Verdict> {
    this.admit(tenant);
    const assessment = await this.assess(tenant, request, true);
    // The caller sends through its own provider: an allow counts as sent. The verdict stands
    // even if remembering it fails (the store may be the reason we judged without state).
    await this.settleQuietly(tenant, assessment, assessment.verdict.decision === 'allow');
    this.record(tenant, request, assessment, false, 'verdict');
    return assessment.verdict;
  }

  /** The protected send, deduplicated by `request.idempotencyKey`. */
  async send(tenant: ResolvedTenant, request: SendRequest): Promise<SendOutcome> {
    this.admit(tenant);
    return this.once(tenant, 'sms', request, () => this.deliver(tenant, request));
  }

  /** Refuse (429 `TENANT_USAGE_LIMIT`) a tenant over its verdicts per minute, before any store work. */
  admit(tenant: ResolvedTenant): void {
    const retryAfter = this.deps.engine.admit(tenant.tenant.id, tenant.policy);
    if (retryAfter !== undefined) throw tenantUsageLimit(retryAfter);
  }

  /**
   * Run `send` once per idempotency key of this tenant and `route`: a retry gets the first
   * outcome (see `Idempotency`). Without a key or an idempotency store, `send` just runs.
   * When the key cannot be checked (store unreachable), the scenario's `onStoreError` decides,
   * as for the verdict: `open` runs `send` without deduplication, `closed` answers 503.
   */
  once(
    tenant: ResolvedTenant,
    route: string,
    request: { readonly idempotencyKey?: string; readonly scenario: Scenario },
    send: () => Promise<SendOutcome>,
  ): Promise<SendOutcome> {
    if (!this.deps.idempotency) return send();
    const onUnavailable = tenant.policy.scenarios[request.scenario].onStoreError === 'open' ? 'run' : 'refuse';
    return this.deps.idempotency.once(tenant.tenant.id, route, request, send, onUnavailable);
  }

  /** Verdict, then the SMS on allow; no deduplication (callers go through `once`). */
  async deliver(tenant: ResolvedTenant, request: SendRequest, extra: { codeHash?: string } = {}): Promise<SendOutcome> {
    const assessment = await this.assess(tenant, request);
    const { verdict, phone } = assessment;

    // Shadow mode sends whatever the verdict, but never to something that is not a valid number.
    if ((verdict.decision !== 'allow' && !verdict.shadow) || !phone?.valid) {
      await this.settleQuietly(tenant, assessment, false);
      this.record(tenant, request, assessment, false, 'send');
      const body = { decision: verdict.decision, sent: false as const, verdict };
      if (verdict.decision === 'challenge') return { kind: 'challenge', body };
      if (verdict.retryAfterSeconds) return { kind: 'rate-limited', body, retryAfterSeconds: verdict.retryAfterSeconds };
      return { kind: 'refused', body };
    }

    const masked = maskPhone(phone);
    let messageId: string;
    try {
      ({ messageId } = await this.deps.sender.send({ tenant: tenant.tenant.id, e164: phone.e164, masked, body: request.message }));
    } catch (error) {
      if (error instanceof SmsOutcomeUnknownError) {
        // It may be out: count it as sent (quota, pending code, spend) and say so.
        await this.settleSent(tenant, assessment, extra);
        this.deps.logger.error('SMS provider outcome unknown: the SMS may have been sent', {
          tenant: tenant.tenant.id,
          phone: masked,
          error: errorSummary(error),
        });
        this.record(tenant, request, assessment, true, 'send', true);
        return {
          kind: 'outcome-unknown',
          body: {
            decision: verdict.decision,
            sent: null,
            verdict,
            error: {
              code: 'SEND_OUTCOME_UNKNOWN',
              message: 'The SMS provider did not confirm the message; it may have been sent. A retry with a new idempotencyKey may send it twice.',
            },
          },
        };
      }
      // Nothing went out: give the quota back so a retry is judged on what really happened.
      await this.settleQuietly(tenant, assessment, false);
      this.deps.logger.error('SMS provider failed', { tenant: tenant.tenant.id, phone: masked, error: errorSummary(error) });
      this.record(tenant, request, assessment, false, 'send');
      return {
        kind: 'provider-failed',
        body: {
          decision: verdict.decision,
          sent: false,
          verdict,
          error: { code: 'SEND_FAILED', message: 'The SMS provider did not accept the message; nothing was sent. Retry later.' },
        },
      };
    }
    await this.settleSent(tenant, assessment, extra);
    this.record(tenant, request, assessment, true, 'send');
    return { kind: 'sent', body: { decision: 'allow', sent: true, messageId, verdict } };
  }

  /** The SMS is (or may be) out: failing to remember it must not turn a send into an error. */
  private async settleSent(tenant: ResolvedTenant, assessment: Assessment, extra: { codeHash?: string }): Promise<void> {
    await this.deps.engine.settle(assessment, true, extra).catch((error: unknown) => {
      this.deps.logger.warn('Could not record the sent SMS for verification', { tenant: tenant.tenant.id, error: errorSummary(error) });
    });
  }

  /** Settle without letting a store failure change an answer that is already decided. */
  private async settleQuietly(tenant: ResolvedTenant, assessment: Assessment, sent: boolean): Promise<void> {
    await this.deps.engine.settle(assessment, sent).catch((error: unknown) => {
      this.deps.logger.warn('Could not settle a verdict', { tenant: tenant.tenant.id, sent, error: errorSummary(error) });
    });
  }

  /**
   * The engine's verdict; when the store cannot be reached, the scenario decides: `closed`
   * refuses with 503 (nothing sent), `open` judges on stateless signals only so invalid and
   * premium numbers, datacenter and bot traffic are still refused. A hot key (throttled while
   * the store serves the rest) always refuses with 503: its traffic is the attack.
   */
  private async assess(tenant: ResolvedTenant, request: VerdictRequest, verdictOnly = false): Promise<Assessment> {
    try {
      return await this.assessWithStore(tenant, request, verdictOnly);
    } catch (error) {
      // A key too busy to serve while the store serves others is a number (address, device)
      // under attack: never judged on stateless signals alone, whatever the scenario says.
      if (error instanceof ThrottledKeysError && error.hot) {
        this.deps.logger.warn('A key of this verdict is throttled (hot key): failing closed', {
          tenant: tenant.tenant.id,
          scenario: request.scenario,
          keys: error.keys.length,
        });
        throw storeUnavailable(error);
      }
      const mode = tenant.policy.scenarios[request.scenario].onStoreError;
      this.deps.logger.warn('Store unavailable for a verdict', { tenant: tenant.tenant.id, scenario: request.scenario, mode, error: errorSummary(error) });
      if (mode === 'closed') throw storeUnavailable(error);
      // Device tokens verify without the store (an HMAC): their id and markers still count.
      return this.deps.engine.assessWithoutState(this.attemptOf(tenant, request, NO_CHALLENGE, this.deviceOf(request), verdictOnly), tenant.policy);
    }
  }

  private attemptOf(
    tenant: ResolvedTenant,
    request: VerdictRequest,
    challenge: ChallengeCheck,
    device: { device: string; signals: DeviceSignals } | undefined,
    verdictOnly: boolean,
  ): SendAttempt {
    return {
      tenant: tenant.tenant.id,
      phone: request.phone,
      country: request.country,
      scenario: request.scenario,
      ip: request.ip,
      userAgent: request.userAgent,
      // The engine counts the id inside a valid token, never the token (it changes with its markers).
      device: device ? device.device : request.device,
      ...(device && { deviceSignals: device.signals }),
      account: request.account,
      challenge: challenge.state,
      ...(challenge.state === 'passed' && challenge.level !== undefined && { challengeLevel: challenge.level }),
      ...(verdictOnly && { verdictOnly }),
    };
  }

  private async assessWithStore(tenant: ResolvedTenant, request: VerdictRequest, verdictOnly: boolean): Promise<Assessment> {
    const challenge = request.challenge && this.deps.challenges ? await this.deps.challenges.check(request.challenge, tenant.tenant.id) : NO_CHALLENGE;
    return this.deps.engine.assess(this.attemptOf(tenant, request, challenge, this.deviceOf(request), verdictOnly), tenant.policy);
  }

  private deviceOf(request: VerdictRequest): { device: string; signals: DeviceSignals } | undefined {
    return request.device && this.deps.devices ? this.deps.devices.signals(request.device) : undefined;
  }

  private record(
    tenant: ResolvedTenant,
    request: VerdictRequest,
    assessment: Assessment,
    sent: boolean,
    kind: 'send' | 'verdict',
    outcomeUnknown = false,
  ): void {
    const { verdict, phone } = assessment;
    const record: VerdictRecord = {
      tenant: tenant.tenant.id,
      scenario: request.scenario,
      verdict,
      country: phone?.country,
      maskedPhone: phone ? maskPhone(phone) : undefined,
      sent,
      ...(outcomeUnknown && { outcomeUnknown }),
      kind,
    };
    this.deps.logger.info('verdict', {
      tenant: record.tenant,
      scenario: record.scenario,
      phone: record.maskedPhone,
      country: record.country,
      decision: verdict.decision,
      score: verdict.score,
      reasons: verdict.reasons,
      shadow: verdict.shadow ?? false,
      sent: outcomeUnknown ? 'unknown' : sent,
      kind,
    });
    this.deps.onVerdict?.(record);
  }
}

const NO_CHALLENGE: ChallengeCheck = { state: 'absent' };

/** Error name and message only: provider errors can echo the request, so never log them whole. */
function errorSummary(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.replace(/\+?\d[\d\s-]{6,}\d/g, '[number]')}`;
  return 'unknown error';
}
