import * as z from 'zod';
import type { Hasher } from '../engine/hasher';
import { parseIp } from '../engine/ip';
import { classifyAgent } from '../engine/user-agent';
import { planCounter } from '../engine/velocity';
import type { Clock } from '../ports/clock';
import type { CounterStore } from '../ports/counter-store';
import type { GeoLookup } from '../ports/geo';
import type { ReplayGuard } from '../ports/replay-guard';
import type { TenantStore } from '../ports/tenant-store';
import { tenantIdSchema } from '../service/tenant-admin';
import { DeviceTokens, type IssuedDevice } from './device-tokens';
import { difficultyLevel } from './difficulty';
import { ProofOfWork, type IssuedChallenge } from './proof-of-work';
import { deriveManMachineKeys } from './secrets';

export interface ManMachineDeps {
  /** The deployment's man-machine secret (Secrets Manager in AWS, a generated file locally). */
  readonly secret: string;
  readonly replays: ReplayGuard;
  readonly counters: CounterStore;
  readonly geo: GeoLookup;
  readonly hasher: Hasher;
  readonly clock: Clock;
  /** `maxnumber` per difficulty level. @default DIFFICULTY_LEVELS */
  readonly levels?: readonly number[];
  /** Lifetime of a challenge. @default 300 s */
  readonly challengeTtlSeconds?: number;
  /** Tenants, to refuse challenges for tenants that do not exist; absent: any tenant id is accepted. */
  readonly tenants?: TenantStore;
}

/** Query of `GET /v1/challenge`. */
export const challengeQuerySchema = z.strictObject({
  tenant: tenantIdSchema,
  level: z.coerce.number().int().min(1).max(10).optional(),
});

/** Body of `POST /v1/device`. */
export const deviceRequestSchema = z.strictObject({
  fingerprint: z.string().min(8).max(256).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  markers: z.array(z.string().regex(/^[a-z0-9-]{1,32}$/)).max(16).optional(),
  token: z.string().max(256).optional(),
});
export type DeviceRequest = z.infer<typeof deviceRequestSchema>;

/**
 * Man-machine identification behind the public routes: proof-of-work challenges whose
 * difficulty follows the caller's risk, and signed device tokens. Also the verifier the
 * send path uses for both.
 */
export class ManMachine {
  readonly proofOfWork: ProofOfWork;
  readonly devices: DeviceTokens;

  constructor(private readonly deps: ManMachineDeps) {
    const keys = deriveManMachineKeys(deps.secret);
    this.proofOfWork = new ProofOfWork({
      hmacKey: keys.challengeKey,
      replays: deps.replays,
      clock: deps.clock,
      levels: deps.levels,
      ttlSeconds: deps.challengeTtlSeconds,
    });
    this.devices = new DeviceTokens(keys.deviceKey, deps.clock);
  }

  /**
   * Issue a challenge for `tenant`. The level rises with the caller's risk: a hosting network,
   * an automation user agent, and many challenges fetched from one address this hour (one
   * counter update per call, keyed by the address's hash across all tenants).
   */
  async challenge(input: { tenant: string; level?: number; ip?: string; userAgent?: string }): Promise<IssuedChallenge> {
    const ip = input.ip ? parseIp(input.ip) : undefined;
    let issuedThisHour = 0;
    let hosting = false;
    if (ip) {
      hosting = this.deps.geo.lookup(ip.address).hosting;
      const plan = planCounter('challenges', `ip:${this.deps.hasher(`ip:${ip.address}`)}`, 'hour', Infinity, this.deps.clock.now(), false, 1);
      [issuedThisHour = 0] = await this.deps.counters.increment([plan.increment]);
    }
    const level = difficultyLevel(
      { requested: input.level, hosting, agent: classifyAgent(input.userAgent), issuedThisHour },
      this.proofOfWork.maxLevel,
    );
    return this.proofOfWork.issue(input.tenant, level);
  }

  /**
   * Issue a device token. A headless user agent on this very request is recorded as a marker
   * too, whatever the SDK reported.
   */
  device(request: DeviceRequest, userAgent?: string): IssuedDevice {
    const markers = new Set(request.markers ?? []);
    if (classifyAgent(userAgent) === 'headless') markers.add('headless-ua');
    return this.devices.issue({ fingerprint: request.fingerprint, markers: [...markers], previous: request.token });
  }
}
