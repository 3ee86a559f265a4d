/**
 * How much memory the joint-defense job needs for a stated peak. The job keeps the window's
 * per-minute partials in memory (warm between runs), so its heap grows with the events of the
 * last hour: `PARTIAL_BYTES_PER_EVENT` per event in the window (sends and verifications; the
 * scale model prints the same figure). Measured on a synthetic hour of 20 tenants, three
 * verifications per four sends, keys of 22 characters as the hasher makes them, strings counted
 * (parsed from storage, a partial holds its own copies): partials and the promotion's index take
 * 131 MB at 200,000 sends an hour (392 bytes an event) and 780 MB at 2,000,000 (233 bytes an
 * event: the same numbers come back more often). Was 1,400 before partials were kept as columns.
 */
export const PARTIAL_BYTES_PER_EVENT = 400;

/** Lambda's memory bounds, MiB: the job never gets less than the first, and cannot get more than the second. */
export const JOB_MEMORY_MIB = { min: 512, max: 10_240 } as const;

/** Events in the window per verdict a second: up to two events a verdict (the send, its verification) for an hour. */
const EVENTS_PER_VERDICT_HOUR = 2 * 3_600;

/** Heap beyond the partials (runtime, code, the run's own work): a third on top. */
const HEADROOM = 4 / 3;

/**
 * The job's memory for a peak of verdicts a second, MiB: the partials of an hour at that peak
 * plus headroom, within Lambda's bounds. `fits` is false when even the largest function cannot
 * hold an hour at the peak: the job then fails its runs (an alarm), and the README says so.
 */
export function jobMemoryFor(peakVerdictsPerSecond: number): { readonly mib: number; readonly fits: boolean } {
  const needed = Math.ceil((peakVerdictsPerSecond * EVENTS_PER_VERDICT_HOUR * PARTIAL_BYTES_PER_EVENT * HEADROOM) / 2 ** 20);
  const mib = Math.min(JOB_MEMORY_MIB.max, Math.max(JOB_MEMORY_MIB.min, Math.ceil(needed / 64) * 64));
  return { mib, fits: needed <= JOB_MEMORY_MIB.max };
}

/**
 * Events a minute the job folds at most with `memoryMib` of memory: an hour of them is what
 * `jobMemoryFor` sizes the function for (partials plus a third), so a deployment at its stated
 * peak folds every event, and traffic past what its memory holds is folded from each minute's
 * newest events and raises the dropped-evidence alarm instead of running the job out of memory
 * (no joint defense at all). At most the job's own cap of 1,000,000.
 */
export function eventsPerMinuteFor(memoryMib: number, windowMinutes = 60): number {
  if (!(memoryMib > 0) || !(windowMinutes > 0)) throw new Error(`memory and window must be positive, got ${memoryMib} MiB, ${windowMinutes} minutes`);
  return Math.min(1_000_000, Math.floor((memoryMib * 2 ** 20) / HEADROOM / PARTIAL_BYTES_PER_EVENT / windowMinutes));
}
