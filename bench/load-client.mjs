// The load generator of bench/load.ts, in a worker thread: it gets its own event loop (and
// core), so the server being measured does not share one with the client measuring it.
// Plain JavaScript so the worker needs no TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ url: string, key: string, requests: { path: string, body: string }[], warmup: number, concurrency: number, deadline: number, expected: number[] }} */
const job = workerData;
const expected = new Set(job.expected);
const latencies = [];
const statuses = {};
const refusalReasons = {};
let errors = 0;
let answered = 0;

async function one(i, timed) {
  const { path, body } = job.requests[i];
  const t = performance.now();
  try {
    const res = await fetch(`${job.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${job.key}`, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const answer = await res.json().catch(() => undefined);
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    if (!expected.has(res.status)) errors++;
    if (res.status !== 200) {
      for (const reason of answer?.verdict?.reasons ?? []) refusalReasons[reason] = (refusalReasons[reason] ?? 0) + 1;
    }
  } catch {
    errors++;
  }
  answered++;
  if (timed) latencies.push(performance.now() - t);
}

/** `concurrency` loops take the next index until `end` or the deadline. */
async function phase(start, end, timed) {
  let next = start;
  const loop = async () => {
    while (next < end && Date.now() < job.deadline) await one(next++, timed);
  };
  await Promise.all(Array.from({ length: job.concurrency }, loop));
}

// The first requests load lazily imported code and fill caches: answered and checked, not timed.
await phase(0, job.warmup, false);
const started = performance.now();
await phase(job.warmup, job.requests.length, true);
const elapsedMs = performance.now() - started;
parentPort.postMessage({ latencies, statuses, refusalReasons, errors, answered, elapsedMs });
