import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { SNSClientConfig } from '@aws-sdk/client-sns';
import { publishRetryStrategy } from '../adapters/aws/sns-sms-sender';
import { RiskEngine } from '../engine/engine';
import type { Hasher } from '../engine/hasher';
import type { Policy } from '../engine/policy';
import type { Clock } from '../ports/clock';
import type { CounterStore } from '../ports/counter-store';
import type { EventStore } from '../ports/event-store';
import type { GeoLookup } from '../ports/geo';
import type { ListStore } from '../ports/list-store';
import type { ReplayGuard } from '../ports/replay-guard';
import type { IdempotencyStore } from '../ports/idempotency-store';
import { MemoryIdempotencyStore } from '../adapters/memory/memory-idempotency-store';
import { MemoryReplayGuard } from '../adapters/memory/memory-replay-guard';
import { Idempotency } from '../service/idempotency';
import type { VerificationStore } from '../ports/verification-store';
import type { SmsSender } from '../ports/sms-sender';
import type { TenantStore } from '../ports/tenant-store';
import type { DeviceTokenOptions } from '../challenge/device-tokens';
import { ManMachine } from '../challenge/man-machine';
import { DIFFICULTY_LEVELS } from '../challenge/proof-of-work';
import { createHttpApi, type ApiHandler, type ApiRoute } from './http-api';
import { supabaseHookRoute } from './supabase-sms-hook';
import { localKeyId, type AllianceKeys } from '../joint-defense/feed';
import { ListAdmin } from '../service/list-admin';
import { ReputationAdmin } from '../service/reputation-admin';
import { TenantAdmin } from '../service/tenant-admin';
import { AdminKeys } from '../service/admin-keys';
import { OtpService } from '../service/otp-service';
import { ShieldService, type ServiceLogger, type VerdictRecord } from '../service/shield-service';
import { TenantDirectory } from '../service/tenant-directory';

/** Time limits of the store client on the verdict path. */
export interface StoreTimeouts {
  /** Connecting may take this long. @default 500 */
  readonly connectionTimeoutMs?: number;
  /** One attempt (connect, send, answer) may take this long, then it fails and may be retried. @default 1_000 */
  readonly requestTimeoutMs?: number;
}

/**
 * DynamoDB client settings for the verdict path: a verdict never waits on the store longer
 * than 2 attempts of `requestTimeoutMs` each; then the scenario's `onStoreError` decides.
 * `throwOnRequestTimeout` is what makes `requestTimeout` a limit: without it the SDK only logs
 * a warning and waits on a silent connection for good (no socket timeout by default), so a hung
 * store would hold the function until its own timeout and no `onStoreError` policy would apply.
 */
export function storeClientConfig(timeouts: StoreTimeouts = {}): DynamoDBClientConfig {
  return {
    maxAttempts: 2,
    requestHandler: {
      connectionTimeout: timeouts.connectionTimeoutMs ?? 500,
      requestTimeout: timeouts.requestTimeoutMs ?? 1_000,
      throwOnRequestTimeout: true,
    },
  };
}

/** Time limits of the SNS client that publishes the SMS. */
export interface SnsTimeouts {
  /** Connecting may take this long; nothing was sent when it fails. @default 1_000 */
  readonly connectionTimeoutMs?: number;
  /**
   * One attempt may take this long, from the start to the answer's headers, and the answer may
   * then stall this long. A publish that runs out of it may have been sent. @default 3_000
   */
  readonly requestTimeoutMs?: number;
}

/**
 * SNS client settings for the send: a publish never waits longer than `requestTimeoutMs` for
 * an answer, and is tried at most twice, the second time only when SNS certainly did not take
 * the first (`publishRetryStrategy`: throttled, or never connected). A timed-out or reset
 * publish is not retried: SNS may have sent it, and the service answers 504
 * `SEND_OUTCOME_UNKNOWN` instead. `socketTimeout` bounds an answer whose body stalls
 * (`requestTimeout` ends with the headers).
 */
export function snsClientConfig(timeouts: SnsTimeouts = {}): SNSClientConfig {
  const requestTimeout = timeouts.requestTimeoutMs ?? 3_000;
  return {
    maxAttempts: 2,
    retryStrategy: publishRetryStrategy({ maxAttempts: 2 }),
    requestHandler: {
      connectionTimeout: timeouts.connectionTimeoutMs ?? 1_000,
      requestTimeout,
      socketTimeout: requestTimeout,
      throwOnRequestTimeout: true,
    },
  };
}

/** Every port the service needs; Lambda and local mode differ only in what they pass here. */
export interface ShieldPorts {
  readonly counters: CounterStore;
  readonly lists: ListStore;
  readonly verifications: VerificationStore;
  readonly geo: GeoLookup;
  readonly tenants: TenantStore;
  readonly sender: SmsSender;
  readonly hasher: Hasher;
  readonly clock: Clock;
  readonly logger: ServiceLogger;
  readonly basePolicy?: Policy;
  readonly onVerdict?: (record: VerdictRecord) => void;
  /**
   * Remembers responses by `idempotencyKey`. @default an in-process store (right for a single
   * process such as local mode; Lambda passes `DynamoIdempotencyStore`, shared by all instances)
   */
  readonly idempotency?: IdempotencyStore;
  /** Verdict events for the joint-defense job; absent: none are recorded. */
  readonly events?: EventStore;
  /**
   * The alliance this deployment shares reputation with: its indicator key hashes the
   * reputation keys (so partners' feeds match), its key id guards imports. Absent: the
   * deployment's own hashing key, and no partner feed can match.
   */
  readonly alliance?: AllianceKeys;
  /**
   * Man-machine identification (proof-of-work challenges, device tokens and their public
   * routes). Without it, challenge solutions and device tokens are not checked.
   */
  readonly manMachine?: {
    /** The deployment's man-machine secret. */
    readonly secret: string;
    /** Remembers redeemed challenge solutions. */
    readonly replays: ReplayGuard;
    /** `maxnumber` per difficulty level. @default DIFFICULTY_LEVELS */
    readonly levels?: readonly number[];
    /** Device token lifetimes. @default 7 days valid, renewable up to 180 days after issue */
    readonly deviceTokens?: DeviceTokenOptions;
  };
  /** Live entries a tenant's list (and the global list) may hold. @default 5_000 */
  readonly maxListEntries?: number;
  /**
   * Remembers the `webhook-id` of each signed hook delivery (the Supabase Send SMS hook), so a
   * replayed one is refused. @default `manMachine.replays`, else an in-process guard
   */
  readonly replays?: ReplayGuard;
}

export interface ShieldApp {
  readonly engine: RiskEngine;
  readonly service: ShieldService;
  readonly otp: OtpService;
  readonly lists: ListAdmin;
  readonly directory: TenantDirectory;
  readonly tenantAdmin: TenantAdmin;
  readonly adminKeys: AdminKeys;
  readonly reputation: ReputationAdmin;
  readonly manMachine: ManMachine | undefined;
  readonly handler: ApiHandler;
}

/** Wire engine, service and HTTP API from ports: the composition both entry points share. */
export function composeShield(ports: ShieldPorts, extraRoutes: (app: Omit<ShieldApp, 'handler'>) => ApiRoute[] = () => []): ShieldApp {
  const engine = new RiskEngine({
    counters: ports.counters,
    lists: ports.lists,
    verifications: ports.verifications,
    geo: ports.geo,
    hasher: ports.hasher,
    clock: ports.clock,
    events: ports.events,
    reputationHasher: ports.alliance?.indicatorHasher,
    maxChallengeLevel: (ports.manMachine?.levels ?? DIFFICULTY_LEVELS).length,
    onEventError: (error) =>
      ports.logger.warn('Could not record a verdict event or verification credit', {
        error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown',
      }),
  });
  const manMachine = ports.manMachine
    ? new ManMachine({ ...ports.manMachine, counters: ports.counters, geo: ports.geo, hasher: ports.hasher, clock: ports.clock, tenants: ports.tenants })
    : undefined;
  const service = new ShieldService({
    engine,
    sender: ports.sender,
    logger: ports.logger,
    onVerdict: ports.onVerdict,
    challenges: manMachine?.proofOfWork,
    devices: manMachine?.devices,
    idempotency: new Idempotency(ports.idempotency ?? new MemoryIdempotencyStore(), ports.clock, {
      onStoreError: (error) =>
        ports.logger.warn('Could not record an idempotent response', { error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown' }),
    }),
  });
  const otp = new OtpService(service, engine.ledger, ports.hasher);
  const directory = new TenantDirectory(ports.tenants, ports.clock, {
    basePolicy: ports.basePolicy,
    onStoreError: (error) =>
      ports.logger.warn('Store unavailable for an API key', { error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown' }),
  });
  const lists = new ListAdmin(ports.lists, engine, ports.hasher, ports.clock, { maxEntriesPerScope: ports.maxListEntries });
  const tenantAdmin = new TenantAdmin(ports.tenants, directory, ports.clock);
  const adminKeys = new AdminKeys(ports.tenants, directory, ports.clock);
  const reputation = new ReputationAdmin(ports.lists, ports.clock, ports.alliance?.keyId ?? localKeyId(ports.hasher));
  const parts = { engine, service, otp, lists, directory, tenantAdmin, adminKeys, reputation, manMachine };
  const handler = createHttpApi({
    service,
    otp,
    lists,
    tenants: directory,
    tenantAdmin,
    adminKeys,
    reputation,
    manMachine,
    logger: ports.logger,
    hookRoutes: [
      supabaseHookRoute({
        service,
        tenants: ports.tenants,
        basePolicy: ports.basePolicy,
        replays: ports.replays ?? ports.manMachine?.replays ?? new MemoryReplayGuard(),
        logger: ports.logger,
        clock: ports.clock,
      }),
    ],
    extraRoutes: extraRoutes(parts),
  });
  return { ...parts, handler };
}
