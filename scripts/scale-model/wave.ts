/**
 * The per-verdict store calls of the scale model, measured from the engine itself: one verdict
 * runs on in-memory stores wrapped to record every call, and the calls are counted the way the
 * DynamoDB adapters send them (one UpdateItem per key written or set added to, BatchGetItem keys
 * for reads, one PutItem per event and pending verification). A change to the wave changes these
 * counts, and the model with them.
 */
import { MemoryCounterStore } from '../../lambdas/adapters/memory/memory-counter-store';
import { MemoryEventStore } from '../../lambdas/adapters/memory/memory-event-store';
import { MemoryListStore } from '../../lambdas/adapters/memory/memory-list-store';
import { MemoryVerificationStore } from '../../lambdas/adapters/memory/memory-verification-store';
import type { SendAttempt } from '../../lambdas/domain/types';
import { DIM } from '../../lambdas/engine/dimensions';
import { RiskEngine } from '../../lambdas/engine/engine';
import { createHasher } from '../../lambdas/engine/hasher';
import { DEFAULT_POLICY } from '../../lambdas/engine/policy';
import { planStats } from '../../lambdas/engine/stat-plans';
import { ManualClock } from '../../lambdas/ports/clock';
import type { CounterIncrement, CounterStore, DistinctAdd, MembersAdd } from '../../lambdas/ports/counter-store';
import type { EventStore, VerdictEvent } from '../../lambdas/ports/event-store';
import type { ListKey } from '../../lambdas/ports/list-store';
import type { WaveCounts } from './model';

/** Store requests of one window of calls, as the DynamoDB adapters would send them. */
interface Tally {
  /** Keys written (UpdateItem each): increments grouped by key, and every set add. */
  written: string[];
  /** Keys only read (BatchGetItem). */
  read: Set<string>;
  listReads: number;
  /** Pending verifications written (PutItem each). */
  pendingPuts: number;
  events: VerdictEvent[];
}

const emptyTally = (): Tally => ({ written: [], read: new Set(), listReads: 0, pendingPuts: 0, events: [] });

/** Counts what goes through to a real store; `tally` is swapped between the phases measured. */
class Recorder {
  tally = emptyTally();
}

class RecordingCounters implements CounterStore {
  constructor(
    private readonly inner: CounterStore,
    private readonly rec: Recorder,
  ) {}
  increment(increments: readonly CounterIncrement[]): Promise<number[]> {
    const writes = new Set<string>();
    for (const inc of increments) {
      if (inc.by === 0) this.rec.tally.read.add(inc.key);
      else writes.add(inc.key);
    }
    this.rec.tally.written.push(...writes);
    return this.inner.increment(increments);
  }
  addDistinct(adds: readonly DistinctAdd[]): Promise<number[]> {
    this.rec.tally.written.push(...adds.filter((a) => a.cap >= 1).map((a) => a.key));
    return this.inner.addDistinct(adds);
  }
  addMembers(adds: readonly MembersAdd[]): Promise<(readonly string[] | undefined)[]> {
    this.rec.tally.written.push(...adds.filter((a) => a.cap >= 1 && a.members.length > 0).map((a) => a.key));
    return this.inner.addMembers(adds);
  }
}

/** `target` with `method` counted by `count` (its arguments in, how many requests out). */
function counting<T extends object>(target: T, method: keyof T & string, count: (...args: never[]) => number): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (prop !== method) return fn.bind(t);
      return (...args: unknown[]) => {
        count(...(args as never[]));
        return fn.apply(t, args);
      };
    },
  });
}

class RecordingEvents implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly rec: Recorder,
  ) {}
  record(event: VerdictEvent): Promise<void> {
    this.rec.tally.events.push(event);
    return this.inner.record(event);
  }
  read(fromMs: number, toMs: number, limit: number) {
    return this.inner.read(fromMs, toMs, limit);
  }
}

/**
 * Size of an Events item as DynamoDB counts it (UTF-8 bytes of attribute names and string
 * values; a number ≈ 1 byte per two digits plus one): `pk` `<minute>#<shard>`, `sk`
 * `<ms>#<8 hex>`, the event as JSON in `d`, `expiresAt`.
 */
export function eventItemBytes(event: VerdictEvent, shards = 80): number {
  const pk = `${Math.floor(event.at / 60_000)}#${shards - 1}`;
  const sk = `${event.at}#00000000`;
  const d = JSON.stringify(event);
  const expires = String(Math.floor(event.at / 1000) + 2 * 86_400);
  const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');
  return utf8('pk') + utf8(pk) + utf8('sk') + utf8(sk) + utf8('d') + utf8(d) + utf8('expiresAt') + Math.ceil(expires.length / 2) + 1;
}

/** A legitimate login code: a valid mobile, a residential address, a device and an account. */
export const REFERENCE_ATTEMPT: SendAttempt = {
  tenant: 'shop',
  phone: '+44 7400 121234',
  scenario: 'login',
  ip: '81.2.69.142',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  device: 'scale-model-device',
  account: 'scale-model-account',
  challenge: 'absent',
};

const T0 = Date.UTC(2026, 10, 2, 12, 0, 0);
const geo = { lookup: () => ({ kind: 'public' as const, country: 'GB', asn: 2856, hosting: false }) };

/** Runs `attempt` through the engine on recording in-memory stores and counts its store calls. */
export async function measureWave(attempt: SendAttempt = REFERENCE_ATTEMPT): Promise<WaveCounts> {
  const clock = new ManualClock(T0);
  const rec = new Recorder();
  const engine = new RiskEngine({
    counters: new RecordingCounters(new MemoryCounterStore(clock), rec),
    // Exact-key list reads only: the rule-list cache refreshes per process and scope, not per verdict.
    lists: counting(new MemoryListStore(), 'getMany', (keys: readonly ListKey[]) => (rec.tally.listReads += keys.length)),
    verifications: counting(new MemoryVerificationStore(clock), 'put', () => (rec.tally.pendingPuts += 1)),
    events: new RecordingEvents(new MemoryEventStore(), rec),
    geo,
    hasher: createHasher('scale-model-secret-scale-model-secret'),
    clock,
  });
  // A first verdict (another number, address and device) makes the statistics sync that rides
  // along with a wave every few seconds, so the measured verdicts carry none of it.
  const warm = await engine.assess({ ...attempt, phone: '+44 7500 121234', ip: '81.2.69.9', device: 'warm', account: 'warm' }, DEFAULT_POLICY);
  await engine.settle(warm, true);

  rec.tally = emptyTally();
  const sentAssessment = await engine.assess(attempt, DEFAULT_POLICY);
  const wave = rec.tally;
  if (sentAssessment.verdict.decision !== 'allow') throw new Error(`the reference attempt must be allowed, got ${sentAssessment.verdict.decision}`);
  rec.tally = emptyTally();
  await engine.settle(sentAssessment, true);
  const sent = rec.tally;

  // The same attempt again, refused this time by the caller's choice: its quota goes back.
  rec.tally = emptyTally();
  const second = await engine.assess({ ...attempt, phone: '+44 7800 121234', device: 'second', account: 'second' }, DEFAULT_POLICY);
  rec.tally = emptyTally();
  await engine.settle(second, false);
  const refused = rec.tally;

  const isGlobal = (k: string) => k.startsWith(`v#${DIM.GLOBAL_NUMBER}#`);
  const isBurst = (k: string) => k.startsWith(`v#${DIM.COUNTRY_BURST}#`);
  const event = sent.events[0];
  if (!event) throw new Error('the settlement recorded no event');
  const stats = planStats('t:shop', 't:shop:GB', T0);
  return {
    counterWrites: wave.written.length,
    counterReads: wave.read.size,
    listReads: wave.listReads,
    sentWrites: sent.pendingPuts,
    refusedWrites: refused.written.length,
    eventWrites: sent.events.length,
    eventItemBytes: eventItemBytes(event),
    costGuardKeyWrites: {
      sent: wave.written.filter(isBurst).length + sent.written.filter(isBurst).length,
      refused: wave.written.filter(isBurst).length + refused.written.filter(isBurst).length,
    },
    globalNumberWrites: {
      sent: wave.written.filter(isGlobal).length + sent.written.filter(isGlobal).length,
      refused: wave.written.filter(isGlobal).length + refused.written.filter(isGlobal).length,
    },
    statKeys: new Set(stats.map((s) => s.plan.increment.key)).size,
  };
}
