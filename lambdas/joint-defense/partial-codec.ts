/**
 * A minute's partial as plain JSON data (arrays, not maps: compact, and in the same orders) and
 * back, for stores that keep text. Decoding checks every field: stored data that is not a
 * partial of this version decodes to undefined, and the job folds that minute again.
 */
import type { PartialCodec } from '../ports/partial-store';
import {
  type Activity,
  type Credit,
  type DestinationPart,
  type DestinationTable,
  type Intern,
  interner,
  destinationTable,
  type MinutePartial,
  type NumberPart,
  type NumberTable,
  numberTable,
  type OpenSend,
  refOk,
  refPart,
  refSeq,
  type SourceTable,
  sourceTable,
} from './partial';
import { SOURCE_KINDS, type SourceKind } from './stats';

const VERSION = 1;

type Counts = [string, number][];
type NumberRow = [string, number, number, number, number, Counts, string[]];
type SourceRow = [string, number, number, number, number, number, Counts];
type DestinationRow = [string, number, [string, number, number, string[], [string, 0 | 1, number][]][]];

export function encodePartial(p: MinutePartial): unknown {
  return {
    v: VERSION,
    minute: p.minute,
    events: p.events,
    truncated: p.truncated,
    saturated: p.saturated,
    reporting: [...p.reporting],
    numbers: numberRows(p.numbers),
    sources: Object.fromEntries(SOURCE_KINDS.map((kind) => [kind, sourceRows(p.sources[kind])])),
    ranges: destinations(p.ranges),
    countries: destinations(p.countries),
    activity: [...p.activity].flatMap(([tenant, refs]) => [...refs].map(([ref, open]) => [`${tenant}\u0000${ref}`, open])),
    credits: p.credits,
  };
}

function sourceRows(t: SourceTable): SourceRow[] {
  return [...t.index].map(([k, i]): SourceRow => {
    const blocks: Counts = [];
    for (let j = t.blockStart[i] as number; j < (t.blockStart[i + 1] as number); j++) blocks.push([t.blockTenants[j] as string, t.blockCounts[j] as number]);
    return [k, t.attempts[i] as number, t.sent[i] as number, t.verified[i] as number, t.blocked[i] as number, t.lastAt[i] as number, blocks];
  });
}

function numberRows(t: NumberTable): NumberRow[] {
  return [...t.index].map(([k, i]): NumberRow => {
    const counts: Counts = [];
    for (let j = t.tenantStart[i] as number; j < (t.tenantStart[i + 1] as number); j++) counts.push([t.tenants[j] as string, t.tenantCounts[j] as number]);
    const networks = t.nets.slice(t.netStart[i], t.netStart[i + 1]);
    return [k, t.attempts[i] as number, t.sends[i] as number, t.verified[i] as number, t.lastAt[i] as number, counts, networks];
  });
}

function destinations(d: DestinationTable): DestinationRow[] {
  return [...d.index].map(([k, i]) => {
    const tenants: DestinationRow[2] = [];
    for (let row = d.rowStart[i] as number; row < (d.rowStart[i + 1] as number); row++) {
      const refs: [string, 0 | 1, number][] = [];
      for (let j = d.refStart[row] as number; j < (d.refStart[row + 1] as number); j++) {
        const r = d.refParts[j] as number;
        refs.push([d.refs[j] as string, refOk(r) ? 1 : 0, refSeq(r)]);
      }
      tenants.push([d.tenants[row] as string, d.sends[row] as number, d.lastAt[row] as number, d.nets.slice(d.netStart[row], d.netStart[row + 1]), refs]);
    }
    return [k, d.touches[i] as number, tenants];
  });
}

class Invalid extends Error {}

const fail = (): never => {
  throw new Invalid();
};
const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : fail());
const str = (x: unknown): string => (typeof x === 'string' ? x : fail());
const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : fail());
const obj = (x: unknown): Record<string, unknown> => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : fail());
const counts = (x: unknown): Map<string, number> => new Map(arr(x).map((row) => (([k, n]) => [str(k), num(n)] as const)(arr(row))));
const strings = (x: unknown): Set<string> => new Set(arr(x).map(str));

const tenantCounts = (x: unknown) => {
  const pairs = [...counts(x)];
  return { tenants: pairs.map(([t]) => t), counts: pairs.map(([, n]) => n) };
};

const SUBJECTS = ['number', 'ip', 'subnet', 'device', 'range', 'country'] as const;
function openSend(x: unknown, intern: Intern = (s) => s): OpenSend {
  const o = obj(x);
  const out: Record<string, string> = {};
  for (const key of SUBJECTS) if (o[key] !== undefined) out[key] = intern(str(o[key]));
  return out;
}

/** Rows `[tenant\0ref, open send or null]` back into the per-tenant maps. */
function activityOf(x: unknown, intern: Intern): Activity {
  const activity: Activity = new Map();
  for (const row of arr(x)) {
    const [k, open] = arr(row);
    const key = str(k);
    const cut = key.indexOf('\u0000');
    if (cut < 0) fail();
    const tenant = intern(key.slice(0, cut));
    let refs = activity.get(tenant);
    if (!refs) activity.set(tenant, (refs = new Map()));
    refs.set(intern(key.slice(cut + 1)), open === null ? null : openSend(open, intern));
  }
  return activity;
}

function decode(data: unknown): MinutePartial {
  const o = obj(data);
  const intern = interner();
  if (o.v !== VERSION) fail();
  const sourcesIn = obj(o.sources);
  const sources = {} as Record<SourceKind, SourceTable>;
  for (const kind of SOURCE_KINDS) {
    sources[kind] = sourceTable(
      new Map(
        arr(sourcesIn[kind]).map((row) => {
          const [k, attempts, sent, verified, blocked, lastAt, perTenant] = arr(row);
          return [
            str(k),
            {
              attempts: num(attempts),
              sent: num(sent),
              verified: num(verified),
              blocked: num(blocked),
              lastAt: num(lastAt),
              blockedPerTenant: counts(perTenant),
            },
          ];
        }),
      ),
      intern,
    );
  }
  const destinationsOf = (x: unknown) =>
    destinationTable(
      new Map<string, DestinationPart>(
        arr(x).map((row) => {
          const [k, touches, tenants] = arr(row);
          return [
            str(k),
            {
              touches: num(touches),
              tenants: new Map(
                arr(tenants).map((t) => {
                  const [tenant, sends, lastAt, networks, refs] = arr(t);
                  return [
                    str(tenant),
                    {
                      sends: num(sends),
                      lastAt: num(lastAt),
                      networks: [...strings(networks)],
                      refs: new Map(
                        arr(refs).map((r) => {
                          const [ref, ok, seq] = arr(r);
                          return [str(ref), refPart(num(seq), num(ok) === 1)];
                        }),
                      ),
                    },
                  ];
                }),
              ),
            },
          ];
        }),
      ),
      intern,
    );
  return {
    minute: num(o.minute),
    events: num(o.events),
    truncated: o.truncated === true,
    saturated: num(o.saturated),
    reporting: strings(o.reporting),
    numbers: numberTable(
      new Map(
        arr(o.numbers).map((row): [string, NumberPart] => {
          const [k, attempts, sends, verified, lastAt, perTenant, networks] = arr(row);
          return [
            str(k),
            {
              attempts: num(attempts),
              sends: num(sends),
              verified: num(verified),
              lastAt: num(lastAt),
              ...tenantCounts(perTenant),
              networks: [...strings(networks)],
            },
          ];
        }),
      ),
      intern,
    ),
    sources,
    ranges: destinationsOf(o.ranges),
    countries: destinationsOf(o.countries),
    activity: activityOf(o.activity, intern),
    credits: arr(o.credits).map((x): Credit => {
      const c = obj(x);
      return { ...openSend(c), origin: num(c.origin), tenant: str(c.tenant), ref: str(c.ref) };
    }),
  };
}

/** The codec of partials for stores that keep JSON. */
export const partialCodec: PartialCodec<MinutePartial> = {
  encode: encodePartial,
  decode: (data) => {
    try {
      return decode(data);
    } catch (error) {
      if (error instanceof Invalid) return undefined;
      throw error;
    }
  },
};
