import { createCipheriv, createDecipheriv, hash, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import * as z from 'zod';
import type { RiskEngine } from '../engine/engine';
import type { Hasher } from '../engine/hasher';
import { embeddedIpv4Range, parseIp } from '../engine/ip';
import { cidrBlock } from '../engine/list-index';
import { maskPhone, parsePhone } from '../engine/phone';
import type { Clock } from '../ports/clock';
import { InvalidListCursorError, LIST_KINDS, type ListEntry, type ListKey, type ListKind, type ListStore } from '../ports/list-store';
import { ShieldError, invalidInput } from '../domain/errors';

/** Digits from which a run reads as a phone number (`parsePhone` reads 4–17; 7 keeps "ticket 4711"). */
const PHONE_MIN_DIGITS = 7;
/** Digits, optionally after `+`, joined by the separators people write numbers with. */
const DIGIT_RUN = /[+\uFF0B]?\p{Nd}(?:[\s\p{Pd}.()[\]/]*\p{Nd})*/gu;
/** Printable: no control, format (bidi, zero-width), surrogate, private-use or unassigned code points, no line or paragraph separators. */
const PRINTABLE = /^[^\p{C}\p{Zl}\p{Zp}]*$/u;
const ISO_DATE = /^(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

/**
 * True when the text holds something a phone parser would read as a number: a run of 7 or
 * more digits (any script, full-width folded), alone or split by spaces, dots, dashes, slashes
 * or brackets, with or without `+`. An IPv4 address (with a /length) and an ISO date
 * (2025-06-30) are not numbers.
 */
export function containsPhoneNumber(text: string): boolean {
  for (const [run] of text.normalize('NFKC').matchAll(DIGIT_RUN)) {
    if ((run.match(/\p{Nd}/gu)?.length ?? 0) < PHONE_MIN_DIGITS) continue;
    const [address = '', bits, ...rest] = run.split('/');
    if (isIP(address) === 4 && rest.length === 0 && (bits === undefined || /^\d{1,2}$/.test(bits))) continue;
    if (ISO_DATE.test(run)) continue;
    return true;
  }
  return false;
}

/**
 * Free text that is stored and shown back (a list entry's reason, a tenant's name): trimmed,
 * 1 to `max` characters, printable, and never a phone number: numbers are stored only as their
 * HMAC, and one typed into a note would be kept, listed and exported in plain text.
 */
export function freeTextSchema(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(PRINTABLE, 'must be printable text: no control characters, line breaks or invisible formatting')
    .refine((text) => !containsPhoneNumber(text), 'must not contain a phone number (7 or more digits, even split by spaces, dots, dashes or brackets)')
    .describe(`Printable text, trimmed, at most ${max} characters; no control characters and no phone number (7 or more digits)`);
}

export const listEntryInputSchema = z.strictObject({
  kind: z.enum(LIST_KINDS),
  value: z.string().trim().min(1).max(128),
  action: z.enum(['block', 'allow']),
  /** Why (shown to admins): printable, ≤ 200 characters, no phone number. */
  reason: freeTextSchema(200).optional(),
  /** Entry expires after this many seconds; omit for a permanent entry. */
  ttlSeconds: z
    .number()
    .int()
    .min(60)
    .max(400 * 86_400)
    .optional(),
});
export type ListEntryInput = z.infer<typeof listEntryInputSchema>;

/** Entries per page of `GET /v1/lists` and `GET /v1/admin/lists` when `limit` is not given. */
export const DEFAULT_PAGE_LIMIT = 100;
/** Largest `limit`: 500 entries of at most ~1.2 KB each stay far below Lambda's 6 MB answer. */
export const MAX_PAGE_LIMIT = 500;

/** Query of the list read routes: `?limit=` (1–500) and `?cursor=` (the previous page's `nextCursor`). */
export const listPageQuerySchema = z.strictObject({
  limit: z
    .string()
    .regex(/^(?:[1-9]\d?|[1-4]\d\d|500)$/, `must be a whole number from 1 to ${MAX_PAGE_LIMIT}`)
    .optional()
    .describe(`Entries per page, 1–${MAX_PAGE_LIMIT}; default ${DEFAULT_PAGE_LIMIT}`),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,1024}$/, 'must be the nextCursor of the previous page')
    .optional()
    .describe('The `nextCursor` of the previous page'),
});

export const listKeyInputSchema = z.strictObject({ kind: z.enum(LIST_KINDS), value: z.string().trim().min(1).max(128) });

/**
 * Live entries one scope (a tenant's `t:<id>`, or `global`) may hold. Every verdict matches the
 * rule kinds (prefix, cidr, asn, country) of its tenant's scope and of `global` in memory,
 * reloaded every 30 s by each function instance, and admins page through a scope: an unbounded
 * scope made both slow (30,000 CIDRs: median verdict 4 → 110 ms, a 9.8 MB listing). Hand-kept
 * lists hold tens to hundreds of entries; 5,000 leaves room for imports while a scope stays a
 * few DynamoDB query pages (about 1–2 MB) to reload. Bigger feeds belong in shared reputation,
 * which is read by exact key.
 */
export const DEFAULT_MAX_ENTRIES_PER_SCOPE = 5_000;

export interface ListAdminOptions {
  /** Live entries per scope; adding beyond answers 409 `LIST_FULL`. @default DEFAULT_MAX_ENTRIES_PER_SCOPE */
  readonly maxEntriesPerScope?: number;
}

/** What an admin sees of an entry: never a stored hash of a number or device, only its display form. */
export interface ListEntryView {
  readonly scope: string;
  readonly kind: ListKind;
  readonly value: string;
  readonly action: 'block' | 'allow';
  readonly reason?: string;
  readonly createdAt: string;
  readonly expiresAt?: string;
}

/** One page of a scope's entries; `nextCursor` is absent on the last page. */
export interface ListEntryPage {
  readonly entries: ListEntryView[];
  readonly nextCursor?: string;
}

/**
 * Block and allow lists, per tenant (`t:<id>`) or global. Values are normalised the way the
 * engine looks them up: numbers to the HMAC of their E.164 form (every alias matches), devices
 * to their HMAC, IPs and CIDRs to canonical text, ASNs to digits, countries to ISO codes.
 */
export class ListAdmin {
  private readonly maxEntriesPerScope: number;
  /** Seals page cursors (AES-256-GCM), derived from the identifier hashing secret. */
  private readonly cursorKey: Buffer;

  constructor(
    private readonly store: ListStore,
    private readonly engine: RiskEngine,
    private readonly hasher: Hasher,
    private readonly clock: Clock,
    options: ListAdminOptions = {},
  ) {
    this.cursorKey = hash('sha256', hasher('sms-shield/list-page-cursor/v1'), 'buffer');
    this.maxEntriesPerScope = options.maxEntriesPerScope ?? DEFAULT_MAX_ENTRIES_PER_SCOPE;
    if (!Number.isInteger(this.maxEntriesPerScope) || this.maxEntriesPerScope < 1) throw new RangeError('maxEntriesPerScope must be a positive integer');
  }

  async add(scope: string, input: ListEntryInput): Promise<ListEntryView> {
    const { value, display } = this.normalise(input.kind, input.value);
    const now = Math.floor(this.clock.now() / 1000);
    await this.checkRoom({ scope, kind: input.kind, value }, now);
    const entry: ListEntry = {
      scope,
      kind: input.kind,
      value,
      display,
      action: input.action,
      reason: input.reason,
      createdAt: now,
      expiresAt: input.ttlSeconds ? now + input.ttlSeconds : undefined,
    };
    await this.store.put(entry);
    this.engine.invalidateLists();
    return view(entry);
  }

  async remove(scope: string, kind: ListKind, rawValue: string): Promise<void> {
    const { value } = this.normalise(kind, rawValue);
    await this.store.remove({ scope, kind, value });
    this.engine.invalidateLists();
  }

  /** One page of the scope's live entries, in key order; a bad or foreign cursor is a 400. */
  async list(scope: string, page: { limit?: number; cursor?: string } = {}): Promise<ListEntryPage> {
    const limit = page.limit ?? DEFAULT_PAGE_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) throw badPage('limit', `must be a whole number from 1 to ${MAX_PAGE_LIMIT}`);
    const cursor = page.cursor === undefined ? undefined : this.openCursor(scope, page.cursor);
    let read: Awaited<ReturnType<ListStore['listScopePage']>>;
    try {
      read = await this.store.listScopePage(scope, Math.floor(this.clock.now() / 1000), { limit, cursor });
    } catch (error) {
      if (error instanceof InvalidListCursorError) throw badPage('cursor', CURSOR_MESSAGE);
      throw error;
    }
    const entries = read.entries.map(view);
    return read.cursor === undefined ? { entries } : { entries, nextCursor: this.sealCursor(scope, read.cursor) };
  }

  /**
   * The store's cursor names the last key read, and a number's or device's key is its HMAC,
   * which no client ever sees: the cursor goes out encrypted and authenticated, bound to its
   * scope, so it reveals nothing and cannot be forged or replayed on another scope.
   */
  private sealCursor(scope: string, storeCursor: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.cursorKey, iv).setAAD(Buffer.from(scope, 'utf8'));
    const sealed = Buffer.concat([cipher.update(storeCursor, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  private openCursor(scope: string, cursor: string): string {
    const raw = Buffer.from(cursor, 'base64url');
    if (raw.length <= 28 || raw.toString('base64url') !== cursor) throw badPage('cursor', CURSOR_MESSAGE);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.cursorKey, raw.subarray(0, 12)).setAAD(Buffer.from(scope, 'utf8'));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw badPage('cursor', CURSOR_MESSAGE);
    }
  }

  /**
   * Refuses a new key when the scope already holds `maxEntriesPerScope` live entries; replacing
   * an entry the scope holds is always allowed. Count, then write, without a transaction:
   * adds racing on one nearly full scope may each see room, so the scope can overshoot by the
   * number of concurrent adds (and by what the `byScope` index has not caught up with yet),
   * after which every add is refused again. A bound on work, not an exact quota.
   */
  private async checkRoom(key: ListKey, nowSeconds: number): Promise<void> {
    const max = this.maxEntriesPerScope;
    if ((await this.store.countScope(key.scope, nowSeconds, max)) < max) return;
    if ((await this.store.getMany([key], nowSeconds)).length > 0) return;
    throw new ShieldError(
      'LIST_FULL',
      `This list holds ${max.toLocaleString('en-GB')} live entries, the most a list may hold: remove some (or let them expire) before adding more`,
      { scope: key.scope, limit: max },
    );
  }

  private normalise(kind: ListKind, raw: string): { value: string; display: string } {
    const bad = (message: string) => invalidInput('Invalid list entry', { value: message });
    switch (kind) {
      case 'number': {
        const phone = parsePhone(raw);
        if (!phone) throw bad('must be a phone number in international format, e.g. "+44 7400 123456"');
        return { value: this.hasher(phone.e164), display: maskPhone(phone) };
      }
      case 'prefix': {
        const digits = raw.replace(/[\s().-]/g, '');
        if (!/^\+\d{1,14}$/.test(digits)) throw bad('must be "+" and 1–14 digits, e.g. "+88216"');
        return { value: digits, display: digits };
      }
      case 'ip': {
        const ip = parseIp(raw);
        if (!ip) throw bad('must be an IPv4 or IPv6 address');
        return { value: ip.address, display: ip.address };
      }
      case 'cidr': {
        const [address = '', bits = ''] = raw.split('/');
        // IPv6 ranges that carry an IPv4 address (NAT64, 6to4, Teredo…) are checked as that IPv4.
        const embedding = /^\d{1,3}$/.test(bits) ? embeddedIpv4Range(address, Number(bits)) : undefined;
        if (embedding) throw bad(`addresses in ${embedding} are checked as the IPv4 address they carry: give that IPv4 range instead`);
        const ip = parseIp(address);
        const max = ip?.family === 4 ? 32 : 128;
        if (!ip || !/^\d{1,3}$/.test(bits) || Number(bits) > max || !cidrBlock(`${ip.address}/${bits}`)) {
          throw bad('must be a CIDR range such as "203.0.113.0/24" or "2001:db8::/32"');
        }
        return { value: `${ip.address}/${Number(bits)}`, display: `${ip.address}/${Number(bits)}` };
      }
      case 'device': {
        return { value: this.hasher(`device:${raw}`), display: `${raw.slice(0, 4)}…` };
      }
      case 'asn': {
        const match = /^(?:AS)?(\d{1,10})$/i.exec(raw);
        if (!match?.[1] || Number(match[1]) > 4_294_967_295) throw bad('must be an AS number such as "AS16509" or "16509"');
        return { value: String(Number(match[1])), display: `AS${Number(match[1])}` };
      }
      case 'country': {
        const code = raw.toUpperCase();
        if (!/^[A-Z]{2}$/.test(code)) throw bad('must be an ISO 3166-1 alpha-2 code such as "GB"');
        return { value: code, display: code };
      }
    }
  }
}

const CURSOR_MESSAGE = 'must be the nextCursor of the previous page of this list';

function badPage(field: 'limit' | 'cursor', message: string): ShieldError {
  return invalidInput('Invalid page request', { [field]: message });
}

function view(entry: ListEntry): ListEntryView {
  return {
    scope: entry.scope,
    kind: entry.kind,
    value: entry.display ?? (entry.kind === 'number' || entry.kind === 'device' ? '(hidden)' : entry.value),
    action: entry.action,
    ...(entry.reason ? { reason: entry.reason } : {}),
    createdAt: new Date(entry.createdAt * 1000).toISOString(),
    ...(entry.expiresAt ? { expiresAt: new Date(entry.expiresAt * 1000).toISOString() } : {}),
  };
}
