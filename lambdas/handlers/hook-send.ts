/**
 * What the identity-provider integrations (a Cognito custom SMS sender, the Supabase Send SMS
 * hook route) share: a send through `ShieldService.send` and its outcome as a refusal class the
 * integration words for its own caller; and, for a Cognito sender, its one tenant named at
 * deploy time, read by id.
 */
import { ShieldError } from '../domain/errors';
import { classifyWords, parseIpFolded } from '../engine/ip-ranges';
import { resolvePolicy, type Policy } from '../engine/policy';
import type { Clock } from '../ports/clock';
import type { TenantStore } from '../ports/tenant-store';
import type { SendRequest } from '../service/schemas';
import type { SendOutcome } from '../service/send-outcome';
import type { ServiceLogger, ShieldService } from '../service/shield-service';
import type { ResolvedTenant } from '../service/tenant-directory';

/** Why a code was not sent: the integration turns each into its own message (and status). */
export type RefusalCode =
  /** The verdict asks for a proof-of-work challenge. */
  | 'SHIELD_CHALLENGE'
  /** Too many codes for this number, address, device or tenant. */
  | 'SHIELD_RATE_LIMITED'
  /** The verdict is block. */
  | 'SHIELD_BLOCKED'
  /** The request is not one the integration can send (bad event, no phone number). */
  | 'SHIELD_INVALID_REQUEST'
  /** SNS did not take the SMS: nothing was sent. */
  | 'SHIELD_SEND_FAILED'
  /** The store, KMS or the tenant could not be read: nothing was sent. */
  | 'SHIELD_UNAVAILABLE'
  /** The tenant a Cognito sender names at deploy time does not exist yet. */
  | 'SHIELD_NOT_CONFIGURED';

/** A code the shield did not send, by class; `retryAfterSeconds` for `SHIELD_RATE_LIMITED`. */
export class HookRefusal extends Error {
  override readonly name: string = 'HookRefusal';
  constructor(
    readonly code: RefusalCode,
    readonly retryAfterSeconds?: number,
  ) {
    super(code);
  }
}

/** The tenant by id, cached for `ttlMs`; a missing tenant is never cached (creating it takes effect at once). */
export class TenantById {
  private cached: { value: ResolvedTenant; until: number } | undefined;

  constructor(
    private readonly deps: {
      readonly tenants: TenantStore;
      readonly tenantId: string;
      readonly basePolicy?: Policy;
      readonly clock: Clock;
      readonly logger: ServiceLogger;
      /** Named in the logs: `Cognito sender`, `Supabase hook`. */
      readonly integration: string;
    },
    private readonly ttlMs = 30_000,
  ) {}

  /** The tenant, or a `HookRefusal`: `SHIELD_UNAVAILABLE` (store), `SHIELD_NOT_CONFIGURED` (missing). */
  async get(): Promise<ResolvedTenant> {
    const now = this.deps.clock.now();
    if (this.cached && this.cached.until > now) return this.cached.value;
    let tenant: Awaited<ReturnType<TenantStore['getTenant']>>;
    try {
      tenant = await this.deps.tenants.getTenant(this.deps.tenantId);
    } catch (error) {
      this.deps.logger.warn(`Store unavailable for the ${this.deps.integration}'s tenant`, { tenant: this.deps.tenantId, error: errorName(error) });
      throw new HookRefusal('SHIELD_UNAVAILABLE');
    }
    if (!tenant) {
      this.deps.logger.error(`The ${this.deps.integration} names a tenant that does not exist: create it with the admin API or CLI`, {
        tenant: this.deps.tenantId,
      });
      throw new HookRefusal('SHIELD_NOT_CONFIGURED');
    }
    const value = { tenant, policy: resolvePolicy(tenant.policy, this.deps.basePolicy) };
    this.cached = { value, until: now + this.ttlMs };
    return value;
  }
}

/**
 * `ShieldService.send`, with every way it can end but a sent (or possibly sent) SMS as a
 * `HookRefusal`. An SMS whose outcome SNS did not report may be out: it counts as sent, so the
 * identity provider does not send another.
 */
export async function sendOrRefuse(service: ShieldService, tenant: ResolvedTenant, request: SendRequest): Promise<SendOutcome> {
  let outcome: SendOutcome;
  try {
    outcome = await service.send(tenant, request);
  } catch (error) {
    if (error instanceof ShieldError && error.code === 'TENANT_USAGE_LIMIT') throw new HookRefusal('SHIELD_RATE_LIMITED', error.retryAfterSeconds ?? 60);
    // STORE_UNAVAILABLE; IDEMPOTENCY_IN_PROGRESS (the first delivery of this code is still running); anything else.
    throw new HookRefusal('SHIELD_UNAVAILABLE');
  }
  switch (outcome.kind) {
    case 'sent':
    case 'outcome-unknown':
      return outcome;
    case 'challenge':
      throw new HookRefusal('SHIELD_CHALLENGE');
    case 'rate-limited':
      throw new HookRefusal('SHIELD_RATE_LIMITED', outcome.retryAfterSeconds);
    case 'refused':
      throw new HookRefusal('SHIELD_BLOCKED');
    case 'provider-failed':
      throw new HookRefusal('SHIELD_SEND_FAILED');
  }
}

const words = new Uint32Array(4);

/** A public unicast address; private, reserved and malformed ones are no address at all here. */
export function isPublicAddress(text: string): boolean {
  const family = parseIpFolded(text, words);
  return family !== 0 && classifyWords(family, words) === 'public';
}

/** An error's name only: messages can echo a request (a number, a code). */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown';
}
