/**
 * Engine CPU per verdict, in process, on in-memory ports: a realistic mix of numbers, IPs,
 * devices and scenarios. Prints p50/p99 µs per verdict.
 */
import { MemoryCounterStore } from '../lambdas/adapters/memory/memory-counter-store';
import { MemoryListStore } from '../lambdas/adapters/memory/memory-list-store';
import { MemoryVerificationStore } from '../lambdas/adapters/memory/memory-verification-store';
import { loadGeoLookup } from '../lambdas/adapters/geo/geo-lookup';
import { RiskEngine } from '../lambdas/engine/engine';
import { createHasher } from '../lambdas/engine/hasher';
import { DEFAULT_POLICY } from '../lambdas/engine/policy';
import { SCENARIOS, type SendAttempt } from '../lambdas/domain/types';
import { ManualClock } from '../lambdas/ports/clock';
import type { CounterStore } from '../lambdas/ports/counter-store';

export interface EngineBenchResult {
  readonly verdicts: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly meanUs: number;
}

/**
 * `distinctInputs`: how many different attempts the run cycles through. With as many as there
 * are verdicts, every number, IP and device is new (caches cold); with fewer, the mix repeats
 * the way retries, NAT and attacks do in real traffic.
 */
export async function benchEngine(verdicts = 50_000, distinctInputs = 5_000, store: 'memory' | 'stub' = 'memory'): Promise<EngineBenchResult> {
  const clock = new ManualClock(Date.UTC(2026, 10, 2, 8));
  // 'stub': a store that answers at once with a fixed small value, as DynamoDB does (from the
  // engine's point of view) — what is left is the engine's own CPU per verdict.
  const counters: CounterStore =
    store === 'memory'
      ? new MemoryCounterStore(clock)
      : {
          increment: async (incs) => incs.map(() => 1),
          addDistinct: async (adds) => adds.map(() => 1),
          addMembers: async (adds) => adds.map((a) => a.members),
        };
  const engine = new RiskEngine({
    counters,
    lists: new MemoryListStore(),
    verifications: new MemoryVerificationStore(clock),
    geo: await loadGeoLookup(),
    hasher: createHasher('bench-secret-bench-secret-bench'),
    clock,
  });
  const agents = [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    'okhttp/4.12.0',
    'MyApp/5.2.1 (iPhone; iOS 17.5) CFNetwork/1496.0.7 Darwin/23.5.0',
    'python-requests/2.31.0',
  ];
  const attempts: SendAttempt[] = [];
  for (let i = 0; i < distinctInputs + 5_000; i++) {
    attempts.push({
      tenant: `t${i % 4}`,
      phone: `+44 7${String(400_000_000 + ((i * 7919) % 99_000_000)).slice(0, 9)}`,
      scenario: SCENARIOS[i % SCENARIOS.length] ?? 'login',
      ip: `${81 + (i % 5)}.${(i >> 3) & 255}.${i & 255}.${(i * 13) & 255}`,
      userAgent: agents[i % agents.length],
      device: i % 3 === 0 ? undefined : `device-${i % 1_500}`,
      account: i % 2 === 0 ? `acct-${i % 2_000}` : undefined,
      challenge: 'absent',
    });
  }
  // Warm up the JIT and caches before measuring.
  for (let i = 0; i < 5_000; i++) await engine.assess(attempts[distinctInputs + i] as SendAttempt, DEFAULT_POLICY);
  const samples = new Float64Array(verdicts);
  for (let i = 0; i < verdicts; i++) {
    clock.advance(50);
    const start = performance.now();
    const a = await engine.assess(attempts[i % distinctInputs] as SendAttempt, DEFAULT_POLICY);
    samples[i] = (performance.now() - start) * 1000;
    await engine.settle(a, a.verdict.decision === 'allow');
  }
  const sorted = Array.from(samples).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { verdicts, p50Us: at(0.5), p99Us: at(0.99), meanUs: sorted.reduce((s, v) => s + v, 0) / sorted.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const store of ['memory', 'stub'] as const) {
    for (const [label, distinct] of [
      ['repeating inputs', 5_000],
      ['all inputs new', 50_000],
    ] as const) {
      const r = await benchEngine(50_000, distinct, store);
      console.log(`engine, ${store} store (${label}): p50 ${r.p50Us.toFixed(1)} µs, p99 ${r.p99Us.toFixed(1)} µs, mean ${r.meanUs.toFixed(1)} µs`);
    }
  }
}
