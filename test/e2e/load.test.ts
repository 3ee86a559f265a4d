import { describe, expect, it } from 'vitest';
import { loadLocalServer } from '../../bench/load';

/**
 * A bounded load test against the local server on 127.0.0.1: each run stops at its request
 * count or its time limit, whichever comes first. It asserts correctness under concurrency
 * (no errors, every request answered, SMS sent); the figures it prints are a report, not a
 * pass mark — `npm run bench` is where speed is measured.
 */
describe('load on the local server', () => {
  for (const [store, requests] of [
    ['memory', 2_000],
    ['dynalite', 400],
  ] as const) {
    it(`answers ${requests} concurrent mixed requests on the ${store} store with 0 errors`, async () => {
      const result = await loadLocalServer({ requests, warmup: 100, concurrency: 32, maxSeconds: 25, store });
      console.log(
        `load (${store}): ${result.requests} requests, ${Math.round(result.perSecond)}/s, p50 ${result.p50Ms.toFixed(1)} ms, ` +
          `p99 ${result.p99Ms.toFixed(1)} ms, errors ${result.errors}, statuses ${JSON.stringify(result.statuses)}, refusals ${JSON.stringify(result.refusalReasons)}, SMS sent ${result.sent}`,
      );
      expect(result.errors).toBe(0);
      expect(result.serverErrors).toEqual([]);
      expect(result.requests).toBe(requests);
      // Clean traffic from distinct people: every send (one request in five) reaches the outbox.
      expect(result.sent).toBe(requests / 5);
    }, 60_000);
  }
});
