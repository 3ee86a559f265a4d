/** A subject that qualified, ranked by strength and built into a shared reputation entry. */
import type { ListEntry } from '../ports/list-store';
import { REPUTATION_KINDS, REPUTATION_REASONS, REPUTATION_SCOPE, type ReputationSubject } from '../engine/reputation';

export interface Candidate {
  readonly id: string;
  readonly strength: number;
  build(nowSeconds: number): ListEntry;
}

/**
 * Confidence grows with evidence: 0.75 at the threshold, 1 at twice it. Every promoted entry
 * is confident enough to act on; feeds scale it down by the importer's trust.
 */
export function confidenceOf(evidence: number, threshold: number): number {
  return Math.round(Math.min(1, 0.5 + (0.25 * evidence) / Math.max(1, threshold)) * 100) / 100;
}

/**
 * An entry lives `ttlSeconds` past its latest evidence, not past the run that saw it: runs that
 * only see the same old evidence again never extend it.
 */
export function candidate(
  subject: ReputationSubject,
  value: string,
  evidence: number,
  threshold: number,
  lastAtMs: number,
  ttlSeconds: number,
  display: string,
): Candidate {
  const kind = REPUTATION_KINDS[subject];
  return {
    id: `${kind}#${value}`,
    strength: evidence / Math.max(1, threshold),
    build: (nowSeconds) => ({
      scope: REPUTATION_SCOPE,
      kind,
      value,
      action: 'block',
      reason: REPUTATION_REASONS[subject],
      display,
      evidence,
      confidence: confidenceOf(evidence, threshold),
      source: 'local',
      createdAt: nowSeconds,
      expiresAt: Math.floor(lastAtMs / 1000) + ttlSeconds,
    }),
  };
}
