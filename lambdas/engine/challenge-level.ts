/**
 * The proof-of-work difficulty level for whoever fetches a challenge. Pure, in the engine so the
 * verdict can recompute the level a fetcher should have been given (the challenge routes
 * re-export it from `challenge/difficulty.ts`; the engine never imports `challenge/`).
 */
import type { AgentKind } from './user-agent';

/** What the shield knows about whoever asks for a challenge (a public request: no tenant key). */
export interface DifficultySignals {
  /** Level the caller asked for (`?level=`), e.g. a tenant that raises it after a risky verdict. */
  readonly requested?: number;
  /** The caller's address is on a hosting or cloud network. */
  readonly hosting: boolean;
  readonly agent: AgentKind;
  /** Challenges this address fetched in the current hour, this one included. */
  readonly issuedThisHour: number;
}

/** Challenges per address and hour above which each step adds a level: NATs and offices stay under the first. */
export const ISSUE_STEPS = [30, 120] as const;

/**
 * The difficulty level for a challenge: the base level 1, one more for each risk the request
 * shows (a datacenter address, an HTTP library or headless user agent, and each step of
 * challenge-fetching velocity), never below what the caller asked for, capped at `maxLevel`.
 * People on residential networks in real browsers get level 1.
 */
export function difficultyLevel(signals: DifficultySignals, maxLevel: number): number {
  let level = 1;
  if (signals.hosting) level++;
  if (signals.agent === 'automation' || signals.agent === 'headless') level++;
  for (const step of ISSUE_STEPS) if (signals.issuedThisHour > step) level++;
  const requested = signals.requested !== undefined && Number.isFinite(signals.requested) ? Math.floor(signals.requested) : 1;
  return Math.min(maxLevel, Math.max(level, requested, 1));
}
