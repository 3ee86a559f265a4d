/** Random draws from the shapes `SIM_CONFIG` uses: `[min, max]` ranges and weight tables. */
import type { Range, Weights } from './profiles/sim-config';
import type { Rng } from './rng';

export function between(rng: Rng, range: Range): number {
  return rng.uniform(range[0], range[1]);
}

export function intBetween(rng: Rng, range: Range): number {
  return rng.int(range[0], range[1]);
}

export function share<K extends string>(weights: Weights<K>, key: K): number {
  let total = 0;
  for (const w of Object.values(weights) as number[]) total += w;
  return total > 0 ? (weights[key] ?? 0) / total : 0;
}

/** `count` distinct keys of `weights`, drawn by weight. */
export function pickKeys<K extends string>(rng: Rng, weights: Weights<K>, count: number): K[] {
  const chosen: K[] = [];
  const remaining: Partial<Record<K, number>> = { ...weights };
  while (chosen.length < count && Object.keys(remaining).length > 0) {
    const key = rng.weighted(remaining);
    chosen.push(key);
    delete remaining[key];
  }
  return chosen;
}
