import * as z from 'zod';
import type { RiskEngine } from '../engine/engine';
import type { Hasher } from '../engine/hasher';
import { parseIp } from '../engine/ip';
import { cidrBlock } from '../engine/list-index';
import { maskPhone, parsePhone } from '../engine/phone';
import type { Clock } from '../ports/clock';
import { LIST_KINDS, type ListEntry, type ListKind, type ListStore } from '../ports/list-store';
import { HttpError } from './errors';

export const listEntryInputSchema = z.strictObject({
  kind: z.enum(LIST_KINDS),
  value: z.string().trim().min(1).max(128),
  action: z.enum(['block', 'allow']),
  reason: z.string().max(200).optional(),
  /** Entry expires after this many seconds; omit for a permanent entry. */
  ttlSeconds: z.number().int().min(60).max(400 * 86_400).optional(),
});
export type ListEntryInput = z.infer<typeof listEntryInputSchema>;

export const listKeyInputSchema = z.strictObject({ kind: z.enum(LIST_KINDS), value: z.string().trim().min(1).max(128) });

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

/**
 * Block and allow lists, per tenant (`t:<id>`) or global. Values are normalised the way the
 * engine looks them up: numbers to the HMAC of their E.164 form (every alias matches), devices
 * to their HMAC, IPs and CIDRs to canonical text, ASNs to digits, countries to ISO codes.
 */
export class ListAdmin {
  constructor(
    private readonly store: ListStore,
    private readonly engine: RiskEngine,
    private readonly hasher: Hasher,
    private readonly clock: Clock,
  ) {}

  async add(scope: string, input: ListEntryInput): Promise<ListEntryView> {
    const { value, display } = this.normalise(input.kind, input.value);
    const now = Math.floor(this.clock.now() / 1000);
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

  async list(scope: string): Promise<ListEntryView[]> {
    return (await this.store.listScope(scope, Math.floor(this.clock.now() / 1000))).map(view);
  }

  private normalise(kind: ListKind, raw: string): { value: string; display: string } {
    const bad = (message: string) => new HttpError(400, 'INVALID_REQUEST', 'Invalid list entry', { fields: { value: message } });
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
