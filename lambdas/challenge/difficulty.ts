/**
 * The difficulty level of a challenge. The computation lives in the engine
 * (`engine/challenge-level.ts`) so a verdict can recompute the level a fetcher was asked for
 * without importing this module; the challenge routes use the same function.
 */
export { difficultyLevel, ISSUE_STEPS, type DifficultySignals } from '../engine/challenge-level';
