import { type DynamoDBClient, UpdateItemCommand, BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoCounterStore } from '../../lambdas/adapters/dynamo/dynamo-counter-store';
import { MemoryEventStore } from '../../lambdas/adapters/memory/memory-event-store';
import { MemoryListStore } from '../../lambdas/adapters/memory/memory-list-store';
import { MemoryVerificationStore } from '../../lambdas/adapters/memory/memory-verification-store';
import { RiskEngine } from '../../lambdas/engine/engine';
import { createHasher } from '../../lambdas/engine/hasher';
import { DEFAULT_POLICY } from '../../lambdas/engine/policy';
import { ManualClock } from '../../lambdas/ports/clock';
import {
  type Assumptions,
  DEFAULT_ASSUMPTIONS,
  PRICES_USD,
  type WaveCounts,
  mixPriceUsd,
  partialJobRun,
  rawJobRun,
  readUnits,
  scaleRow,
  shardsFor,
  writeUnits,
} from '../../scripts/scale-model/model';
import { REFERENCE_ATTEMPT, measureWave } from '../../scripts/scale-model/wave';

/**
 * The per-verdict calls the README's scale figures were computed from. A change to the
 * engine's wave fails here: rerun `npm run scale-model` and update the README with it.
 */
const REFERENCE_WAVE: WaveCounts = {
  counterWrites: 18,
  counterReads: 6,
  listReads: 14,
  sentWrites: 1,
  refusedWrites: 6,
  eventWrites: 1,
  eventItemBytes: 354,
  costGuardKeyWrites: { sent: 1, refused: 2 },
  globalNumberWrites: { sent: 1, refused: 2 },
  statKeys: 6,
};

const a: Assumptions = { ...DEFAULT_ASSUMPTIONS, countryMix: { US: 1 } };

describe('scale model: the per-verdict calls come from the engine', () => {
  it('measures the reference verdict as the README states it', async () => {
    const wave = await measureWave();
    expect(wave).toEqual(REFERENCE_WAVE);
    // One event is one write unit: well under 1 KB.
    expect(writeUnits(wave.eventItemBytes)).toBe(1);
  });

  it('counts what the DynamoDB counter adapter really sends for the same verdict', async () => {
    // A DynamoDB client that answers every UpdateItem and BatchGetItem plausibly and counts them.
    let updates = 0;
    let readKeys = 0;
    const client = {
      send: async (command: unknown) => {
        if (command instanceof UpdateItemCommand) {
          updates++;
          const { ExpressionAttributeNames: names = {}, ExpressionAttributeValues: values = {} } = command.input;
          if (names['#s'] === 's') return { Attributes: { s: { SS: values[':m']?.SS ?? ['x'] } } };
          return { Attributes: Object.fromEntries(Object.values(names).map((field) => [field, { N: '1' }])) };
        }
        if (command instanceof BatchGetItemCommand) {
          for (const request of Object.values(command.input.RequestItems ?? {})) readKeys += request.Keys?.length ?? 0;
          return { Responses: {} };
        }
        throw new Error('unexpected command');
      },
    } as unknown as DynamoDBClient;
    const clock = new ManualClock(Date.UTC(2026, 10, 2, 12, 0, 0));
    const engine = new RiskEngine({
      counters: new DynamoCounterStore(client, 'Counters'),
      lists: new MemoryListStore(),
      verifications: new MemoryVerificationStore(clock),
      events: new MemoryEventStore(),
      geo: { lookup: () => ({ kind: 'public', country: 'GB', asn: 2856, hosting: false }) },
      hasher: createHasher('scale-model-secret-scale-model-secret'),
      clock,
    });
    // The first verdict syncs the statistics in its wave; the second is a plain one.
    await engine.assess({ ...REFERENCE_ATTEMPT, phone: '+44 7500 121234', ip: '81.2.69.9', device: 'warm', account: 'warm' }, DEFAULT_POLICY);
    updates = 0;
    readKeys = 0;
    await engine.assess(REFERENCE_ATTEMPT, DEFAULT_POLICY);
    const wave = await measureWave();
    expect(updates).toBe(wave.counterWrites);
    expect(readKeys).toBe(wave.counterReads);
  });
});

describe('scale model arithmetic', () => {
  it('sizes event partitions like the construct: at most 500 writes a second each at the peak', () => {
    expect([100, 1_000, 10_000].map(shardsFor)).toEqual([1, 4, 40]);
    // A verdict and, for 90% × 80% of them, its code's verification: 1.72 events a verdict.
    const row = scaleRow(10_000, REFERENCE_WAVE, a);
    expect(row.busiest.events).toBeCloseTo(430, 9);
    expect(row.busiest.eventsLegacy).toBeCloseTo(4_300, 9);
    // Even if every verdict's code were verified: at most half the limit.
    expect(scaleRow(10_000, REFERENCE_WAVE, { ...a, sentShare: 1, verifiedShare: 1 }).busiest.events).toBe(500);
  });

  it('rounds write units per KB and read units per 4 KB (eventually consistent: half)', () => {
    expect([1, 1024, 1025, 4000].map(writeUnits)).toEqual([1, 1, 2, 4]);
    expect([1, 4096, 4097].map(readUnits)).toEqual([0.5, 0.5, 1]);
  });

  it('a bomb writes the number’s cross-tenant counter twice an attempt (reserve, give back)', () => {
    expect(scaleRow(1_000, REFERENCE_WAVE, a).busiest.bombedNumberGlobal).toBe(2_000);
    expect(scaleRow(1_000, REFERENCE_WAVE, { ...a, bombShare: 0.1 }).busiest.bombedNumberGlobal).toBe(200);
  });

  it('a country’s cost-guard counter, its cap sized for the traffic, is split under half a partition’s limit', () => {
    const row = scaleRow(10_000, REFERENCE_WAVE, a);
    // 90% sent (1 write), 10% refused (2 writes): 11,000 writes a second on one unsplit counter.
    expect(row.busiest.costGuardUnsplit).toBeCloseTo(11_000, 6);
    expect(row.busiest.costGuardCounter).toBeCloseTo(11_000 / 64, 6);
    expect(scaleRow(100, REFERENCE_WAVE, a).busiest.costGuardCounter).toBeCloseTo(110 / 6, 6);
  });

  it('statistics are written once a sync per instance, not per verdict', () => {
    // 10,000/s × 30 ms = 300 instances, each syncing every 10 s.
    expect(scaleRow(10_000, REFERENCE_WAVE, a).busiest.statCounter).toBe(30);
  });

  it('the raw-event job truncates past 200,000 events an hour; the partial job reads one minute raw', () => {
    const once = { ...a, verifiedShare: 0 };
    expect(rawJobRun(50, 4, REFERENCE_WAVE, once)).toMatchObject({ events: 180_000, truncated: false });
    expect(rawJobRun(100, 4, REFERENCE_WAVE, once)).toMatchObject({ events: 200_000, truncated: true });
    expect(rawJobRun(1_000, 4, REFERENCE_WAVE, once).minutesCovered).toBeCloseTo(200_000 / 60_000, 9);
    // It fetches whole groups of 6 minutes before it cuts at the limit.
    expect(rawJobRun(1_000, 4, REFERENCE_WAVE, once).fetched).toBe(360_000);
    expect(rawJobRun(10, 4, REFERENCE_WAVE, once).fetched).toBe(36_000);
    expect(partialJobRun(1_000, 4, REFERENCE_WAVE, once)).toMatchObject({ events: 60_000, truncated: false });
    expect(partialJobRun(1_000, 4, REFERENCE_WAVE, a).events).toBeCloseTo(103_200, 6);
  });

  it('costs: DynamoDB per unit, Lambda per GB-second and request, the HTTP API per request; the share of the SMS spend', () => {
    const row = scaleRow(1_000, REFERENCE_WAVE, a);
    const c = row.costPerMillion;
    expect(c.apiGateway).toBeCloseTo(1.0, 6);
    // 30 ms at 1 GiB, plus the request: ≈ $0.60 a million (the job adds little).
    expect(c.lambda).toBeGreaterThan(0.6);
    expect(c.lambda).toBeLessThan(0.61);
    // At least the wave's own writes.
    expect(c.dynamodb).toBeGreaterThan(REFERENCE_WAVE.counterWrites * PRICES_USD.writeRequestUnit * 1e6);
    expect(c.total).toBeCloseTo(c.dynamodb + c.lambda + c.apiGateway, 9);
    expect(row.smsSpendPerMillion).toBeCloseTo(1e6 * 0.9 * 0.0085, 6);
    expect(row.shareOfSmsSpend).toBeCloseTo(c.total / row.smsSpendPerMillion, 12);
  });

  it('weights a country mix by the bundled prices, and refuses nonsense', () => {
    expect(mixPriceUsd({ US: 1, GB: 1 })).toBeCloseTo((0.0085 + 0.04) / 2, 9);
    expect(() => mixPriceUsd({})).toThrow(/no weight/);
    expect(() => scaleRow(0, REFERENCE_WAVE, a)).toThrow(/positive/);
  });
});
