import * as z from 'zod';
import type { Hasher } from '../engine/hasher';
import { parseIp } from '../engine/ip';
import { BoundedCache } from '../engine/lru';
import { classifyAgent } from '../engine/user-agent';
import { DIM } from '../engine/dimensions';
import { planCounter } from '../engine/velocity';
import type { Clock } from '../ports/clock';
import type { CounterStore } from '../ports/counter-store';
import type { GeoLookup } from '../ports/geo';
import type { ReplayGuard } from '../ports/replay-guard';
import type { TenantStore } from '../ports/tenant-store';
import { ShieldError } from '../domain/errors';
import { tenantIdSchema } from '../domain/tenant-id';
import type { ServerDeviceMarker } from '../engine/device-markers';
import { DeviceTokens, type DeviceTokenOptions, type IssuedDevice } from './device-tokens';
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
  /** Validity and renewal horizon of device tokens. @default 7 days, 180 days */
  readonly deviceTokens?: DeviceTokenOptions;
}

/**
 * New device identities minted per hour above which a token carries `mint-burst`: per address,
 * and per network (IPv4 /24, IPv6 /64). What counts is a token for a device without a valid one
 * — a first visit to a tenant's site (tokens are kept per site), cleared storage, a forged
 * previous token or an expired one being revived; renewing a valid token (every `protect()`
 * does) is free. So one person mints about once per site they sign up on, not once per SMS.
 * Carrier-grade NAT and offices put tens of people behind one address: 60 new devices an hour
 * from one address is still that crowd on a busy hour (IP_VELOCITY lets one address make 60
 * sends an hour per tenant before it scores at all); a network holds many such addresses, or
 * one IPv6 client rotating through its /64, hence 200 (as SUBNET_VELOCITY). The mark only adds
 * to a score; refusing is for `MINT_HARD_FACTOR` times these, which no crowd of people reaches.
 */
export const MINT_SOFT_LIMITS = { address: 60, network: 200 } as const;
/** Over this many times the soft limit, `POST /v1/device` answers 429 for new devices. */
export const MINT_HARD_FACTOR = 3;

/** Seconds a tenant found in the store is remembered: a deleted tenant gets challenges this much longer. */
export const KNOWN_TENANT_TTL_SECONDS = 300;
/** Seconds an id the store does not know is remembered: a tenant created meanwhile waits at most this long. */
export const UNKNOWN_TENANT_TTL_SECONDS = 60;
/** Ids remembered per generation of each cache (so at most twice this many each). */
const TENANT_CACHE_ENTRIES = 10_000;

/**
 * Whether a tenant exists, remembered in memory so the public challenge route costs at most one
 * store read per id per TTL. Known and unknown ids live in separate bounded caches: a flood of
 * random ids (anyone can make them up) only churns the unknown one and can never push a real
 * tenant out; concurrent asks for one id share one read; a failed read is not remembered.
 */
class TenantExistence {
  private readonly known = new BoundedCache<string, number>(TENANT_CACHE_ENTRIES);
  private readonly unknown = new BoundedCache<string, number>(TENANT_CACHE_ENTRIES);
  private readonly reading = new Map<string, Promise<boolean>>();

  constructor(
    private readonly store: TenantStore,
    private readonly clock: Clock,
  ) {}

  exists(id: string): Promise<boolean> | boolean {
    const now = this.clock.now();
    if ((this.known.get(id) ?? 0) > now) return true;
    if ((this.unknown.get(id) ?? 0) > now) return false;
    let pending = this.reading.get(id);
    if (!pending) {
      pending = this.store.getTenant(id).then(
        (tenant) => {
          this.reading.delete(id);
          const at = this.clock.now();
          if (tenant) this.known.set(id, at + KNOWN_TENANT_TTL_SECONDS * 1000);
          else this.unknown.set(id, at + UNKNOWN_TENANT_TTL_SECONDS * 1000);
          return tenant !== undefined;
        },
        (error: unknown) => {
          this.reading.delete(id);
          throw error;
        },
      );
      this.reading.set(id, pending);
    }
    return pending;
  }
}

/** Query of `GET /v1/challenge`. */
export const challengeQuerySchema = z.strictObject({
  tenant: tenantIdSchema,
  level: z.coerce.number().int().min(1).max(10).optional(),
});

/** Body of `POST /v1/device`. */
export const deviceRequestSchema = z.strictObject({
  fingerprint: z
    .string()
    .min(8)
    .max(256)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  markers: z
    .array(z.string().regex(/^[a-z0-9-]{1,32}$/))
    .max(16)
    .optional(),
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
  private readonly tenants: TenantExistence | undefined;

  constructor(private readonly deps: ManMachineDeps) {
    const keys = deriveManMachineKeys(deps.secret);
    this.proofOfWork = new ProofOfWork({
      hmacKey: keys.challengeKey,
      replays: deps.replays,
      clock: deps.clock,
      levels: deps.levels,
      ttlSeconds: deps.challengeTtlSeconds,
    });
    this.devices = new DeviceTokens(keys.deviceKey, deps.clock, deps.deviceTokens);
    this.tenants = deps.tenants && new TenantExistence(deps.tenants, deps.clock);
  }

  /**
   * Issue a challenge for `tenant`. The level rises with the caller's risk: a hosting network,
   * an automation user agent, and many challenges fetched from one address this hour (one
   * counter update per call, keyed by the address's hash across all tenants). A tenant that
   * does not exist gets `404 UNKNOWN_TENANT`, decided before anything is written.
   */
  async challenge(input: { tenant: string; level?: number; ip?: string; userAgent?: string }): Promise<IssuedChallenge> {
    if (this.tenants && !(await this.tenants.exists(input.tenant))) {
      throw new ShieldError('UNKNOWN_TENANT', 'No tenant has this id');
    }
    const ip = input.ip ? parseIp(input.ip) : undefined;
    let issuedThisHour = 0;
    let hosting = false;
    if (ip) {
      hosting = this.deps.geo.lookup(ip.address).hosting;
      const plan = planCounter({
        dimension: DIM.CHALLENGES,
        subject: `ip:${this.deps.hasher(`ip:${ip.address}`)}`,
        window: 'hour',
        nowMs: this.deps.clock.now(),
      });
      [issuedThisHour = 0] = await this.deps.counters.increment([plan.increment]);
    }
    const level = difficultyLevel({ requested: input.level, hosting, agent: classifyAgent(input.userAgent), issuedThisHour }, this.proofOfWork.maxLevel);
    return this.proofOfWork.issue(input.tenant, level);
  }

  /**
   * Issue a device token. A headless user agent on this very request is recorded as a marker
   * too, whatever the SDK reported. Renewing a valid token mints no new identity and is free;
   * every other issue counts against the caller's address and network (see `MINT_SOFT_LIMITS`):
   * over the soft limit the token is signed with `mint-burst`, over the hard one the answer is
   * `429 DEVICE_MINT_LIMITED` with `Retry-After`.
   */
  async device(request: DeviceRequest, userAgent?: string, ip?: string): Promise<IssuedDevice> {
    const markers = new Set(request.markers ?? []);
    if (classifyAgent(userAgent) === 'headless') markers.add('headless-ua');
    const renewing = request.token !== undefined && this.devices.read(request.token).kind === 'valid';
    const serverMarkers = renewing ? [] : await this.mintVelocity(ip);
    return this.devices.issue({ fingerprint: request.fingerprint, markers: [...markers], previous: request.token, serverMarkers });
  }

  /**
   * Count one new device for the address, then for its network — in that order, and the
   * network only when the address is under its hard limit, so one address (say, a bot behind a
   * carrier NAT) adds at most its hard limit to its network's count and cannot lock out or mark
   * its neighbours alone. Keys hold hashes only.
   */
  private async mintVelocity(raw: string | undefined): Promise<ServerDeviceMarker[]> {
    const ip = raw ? parseIp(raw) : undefined;
    if (!ip) return [];
    const now = this.deps.clock.now();
    const hash = this.deps.hasher;
    const address = planCounter({
      dimension: DIM.DEVICE_MINTS,
      subject: `ip:${hash(`ip:${ip.address}`)}`,
      window: 'hour',
      limit: MINT_SOFT_LIMITS.address,
      nowMs: now,
    });
    const [fromAddress = 0] = await this.deps.counters.increment([address.increment]);
    if (fromAddress > MINT_SOFT_LIMITS.address * MINT_HARD_FACTOR) throw mintLimited(address.resetsInSeconds);
    const network = planCounter({
      dimension: DIM.DEVICE_MINTS,
      subject: `net:${hash(`net:${ip.subnet}`)}`,
      window: 'hour',
      limit: MINT_SOFT_LIMITS.network,
      nowMs: now,
    });
    const [fromNetwork = 0] = await this.deps.counters.increment([network.increment]);
    if (fromNetwork > MINT_SOFT_LIMITS.network * MINT_HARD_FACTOR) throw mintLimited(network.resetsInSeconds);
    return fromAddress > MINT_SOFT_LIMITS.address || fromNetwork > MINT_SOFT_LIMITS.network ? ['mint-burst'] : [];
  }
}

function mintLimited(retryAfterSeconds: number): ShieldError {
  return new ShieldError('DEVICE_MINT_LIMITED', 'Too many new devices from this network; renew an existing token or retry later', undefined, retryAfterSeconds);
}
