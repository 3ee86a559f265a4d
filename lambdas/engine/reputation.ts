import type { ListEntry, ListKey, ListKind } from '../ports/list-store';
import type { Hasher } from './hasher';
import type { IpAddress } from './ip';
import type { ParsedPhone } from './phone';
import { countryKey } from './phone';
import { Reason } from '../domain/reasons';

/**
 * Shared reputation lives in the list store under this scope: entries the joint-defense job
 * promotes from every tenant's verdict events, and indicators imported from partner feeds.
 * The engine reads them by exact key in its single store wave, next to the list lookups.
 */
export const REPUTATION_SCOPE = 'rep';

/**
 * What one attempt is known by in shared reputation. Every value but `country` is a keyed
 * hash (the reputation hasher: the alliance indicator key when one is configured, else the
 * deployment's own key), so reputation entries, verdict events and feeds never hold a plain
 * number, address or device id.
 */
export interface ReputationSubjects {
  readonly number?: string;
  /** The number's 10,000-number range (number minus its last 4 digits). */
  readonly range?: string;
  readonly country?: string;
  readonly ip?: string;
  /** The /24 (IPv6: /64) of the address. */
  readonly subnet?: string;
  readonly device?: string;
}

export type ReputationSubject = keyof ReputationSubjects;

/**
 * How each subject is stored in the list store: the existing kinds, with hashed values
 * (`prefix` holds a range's hash, `cidr` a subnet's). Entries of the `rep` scope are only ever
 * read by exact key, so the rule-kind cache never sees them.
 */
export const REPUTATION_KINDS: Readonly<Record<ReputationSubject, ListKind>> = {
  number: 'number',
  range: 'prefix',
  country: 'country',
  ip: 'ip',
  subnet: 'cidr',
  device: 'device',
};

/** The reason an entry of each kind carries (one reason per kind). */
export const REPUTATION_REASONS: Readonly<Record<ReputationSubject, string>> = {
  number: Reason.JOINT_DEFENSE_VICTIM,
  range: Reason.JOINT_DEFENSE_RANGE,
  country: Reason.JOINT_DEFENSE_COUNTRY,
  ip: Reason.JOINT_DEFENSE_IP,
  subnet: Reason.JOINT_DEFENSE_IP,
  device: Reason.JOINT_DEFENSE_DEVICE,
};

const SUBJECTS = Object.keys(REPUTATION_KINDS) as ReputationSubject[];
const SUBJECT_OF_KIND = new Map<ListKind, ReputationSubject>(SUBJECTS.map((s) => [REPUTATION_KINDS[s], s]));

/** The subject a `rep` entry of this kind describes. */
export function subjectOfKind(kind: ListKind): ReputationSubject | undefined {
  return SUBJECT_OF_KIND.get(kind);
}

/**
 * The reputation subjects of an attempt. The hash inputs are those of the engine's own counters
 * (`ip:…`, `net:…`, `device:…`, the bare E.164), so with the deployment key they cost nothing
 * extra (the engine passes in the hashes its counters already took: `known`).
 */
export function reputationSubjects(
  hash: Hasher,
  input: { phone?: ParsedPhone; ip?: IpAddress; publicIp: boolean; device?: string },
  /** Hashes `hash` already gave for these inputs in this verdict (the deployment key only). */
  known: { number?: string; ip?: string; subnet?: string; device?: string } = {},
): ReputationSubjects {
  const { phone, ip, device } = input;
  const valid = phone?.valid === true;
  return {
    ...(valid && {
      number: known.number ?? hash(phone.e164),
      range: hash(`range:${phone.e164.slice(0, -4)}`),
      country: countryKey(phone),
    }),
    ...(ip && input.publicIp && { ip: known.ip ?? hash(`ip:${ip.address}`), subnet: known.subnet ?? hash(`net:${ip.subnet}`) }),
    ...(device && { device: known.device ?? hash(`device:${device}`) }),
  };
}

/** The exact keys to read for these subjects, in the order of `REPUTATION_KINDS`. */
export function reputationKeys(subjects: ReputationSubjects): ListKey[] {
  const keys: ListKey[] = [];
  for (const subject of SUBJECTS) {
    const value = subjects[subject];
    if (value !== undefined) keys.push({ scope: REPUTATION_SCOPE, kind: REPUTATION_KINDS[subject], value });
  }
  return keys;
}

/** The live `rep` entry of one subject among the matched ones. */
export function reputationEntry(entries: readonly ListEntry[], subject: ReputationSubject): ListEntry | undefined {
  const kind = REPUTATION_KINDS[subject];
  for (const e of entries) if (e.kind === kind) return e;
  return undefined;
}

/** Entries below this confidence only add their weight: a weak or second-hand signal never blocks alone. */
export const HARD_CONFIDENCE = 0.5;

/** Confident enough to act on alone (entries without a confidence are an admin's: trusted). */
export function confident(entry: ListEntry): boolean {
  return (entry.confidence ?? 1) >= HARD_CONFIDENCE;
}
