import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePhone } from '../../lambdas/engine/phone';
import { formatSimLine, simulate, simulateLines, writeSimulation } from '../../lambdas/sim/simulate';
import { ATTACK_LABELS, LEGIT_LABELS, type SimLine, type SimSendLine } from '../../lambdas/sim/types';

/** Half a day at half scale: every class appears, and it runs in well under a second. */
const SMALL = { seed: 11, days: 0.5, scale: 0.5 } as const;

function digest(lines: Iterable<SimLine>): string {
  const hash = createHash('sha256');
  for (const line of lines) hash.update(`${formatSimLine(line)}\n`);
  return hash.digest('hex');
}

const SEND_KEYS = ['type', 'id', 'ts', 'tenant', 'phone', 'country', 'scenario', 'ip', 'userAgent', 'device', 'challengePassed', 'account', 'label', 'flow'];
const VERIFY_KEYS = ['type', 'ts', 'tenant', 'phone', 'success', 'after', 'label', 'flow'];
const SCENARIOS = ['register', 'login', 'reset_password', 'transfer', 'other'];

/** Private, shared, loopback, link-local, documentation, multicast and reserved IPv4 space. */
const NON_PUBLIC: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const toInt = (ip: string): number => ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
function isPublicIpv4(ip: string): boolean {
  if (isIP(ip) !== 4) return false;
  const n = toInt(ip);
  return !NON_PUBLIC.some(([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(toInt(base) / 2 ** (32 - bits)));
}

describe('simulate', () => {
  let lines: SimLine[];
  let sends: SimSendLine[];

  beforeAll(() => {
    lines = [...simulateLines(SMALL)];
    sends = lines.filter((l): l is SimSendLine => l.type === 'send');
  });

  it('is deterministic: same seed, same bytes; another seed, other bytes', () => {
    expect(digest(simulateLines(SMALL))).toBe(digest(lines));
    expect(digest(simulateLines({ ...SMALL, seed: 12 }))).not.toBe(digest(lines));
  });

  it('streams the same lines through the async generator and the writer', async () => {
    const fromAsync: SimLine[] = [];
    for await (const line of simulate(SMALL)) fromAsync.push(line);
    expect(digest(fromAsync)).toBe(digest(lines));

    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const stats = await writeSimulation(SMALL, out);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text).toBe(lines.map((l) => `${formatSimLine(l)}\n`).join(''));
    expect(stats.lines).toBe(lines.length);
    expect(stats.sends).toBe(sends.length);
  });

  it('sorts lines by ts and gives every send a unique id', () => {
    for (let i = 1; i < lines.length; i++) expect((lines[i] as SimLine).ts >= (lines[i - 1] as SimLine).ts).toBe(true);
    expect(new Set(sends.map((s) => s.id)).size).toBe(sends.length);
  });

  it('writes the replay contract line formats plus label and flow', () => {
    for (const line of lines) {
      expect(Number.isNaN(Date.parse(line.ts))).toBe(false);
      expect(line.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      if (line.type === 'send') {
        expect(Object.keys(line).every((k) => SEND_KEYS.includes(k))).toBe(true);
        expect(SCENARIOS).toContain(line.scenario);
        expect(typeof line.phone).toBe('string');
        expect(isPublicIpv4(line.ip), line.ip).toBe(true);
      } else {
        expect(Object.keys(line).sort()).toEqual([...VERIFY_KEYS].sort());
      }
    }
  });

  it('produces every traffic class', () => {
    const labels = new Set(lines.map((l) => l.label));
    for (const label of [...LEGIT_LABELS, ...ATTACK_LABELS]) expect(labels, label).toContain(label);
    const variants = new Set(sends.map((s) => s.flow.split('/')[0]));
    expect(variants).toContain('pumping-burst');
    expect(variants).toContain('pumping-paced');
  });

  it('gives legitimate users valid mobile numbers, read with their country hint', () => {
    let checked = 0;
    for (const send of sends) {
      if (!send.label.startsWith('legit:')) continue;
      const parsed = parsePhone(send.phone, send.country);
      expect(parsed?.valid, `${send.phone} (${send.country})`).toBe(true);
      expect(['MOBILE', 'FIXED_LINE_OR_MOBILE']).toContain(parsed?.type);
      checked++;
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('pumps real mobile ranges of high-cost destinations', () => {
    const pumped = sends.filter((s) => s.label === 'attack:pumping');
    expect(pumped.length).toBeGreaterThan(100);
    for (const send of pumped) {
      const parsed = parsePhone(send.phone, send.country);
      expect(parsed?.type, send.phone).toBe('MOBILE');
      expect(['UZ', 'KG', 'TJ', 'AZ', 'MM']).toContain(parsed?.country);
    }
  });

  it('rotates aliases of the same victim numbers when bombing', () => {
    const byFlow = new Map<string, { raw: Set<string>; numbers: Set<string> }>();
    for (const send of sends) {
      // The adaptive `bombing-interfaces` writes the number as each form wants it, no aliases.
      if (send.label !== 'attack:bombing' || !send.flow.startsWith('bombing/')) continue;
      const entry = byFlow.get(send.flow) ?? { raw: new Set(), numbers: new Set() };
      entry.raw.add(send.phone);
      entry.numbers.add(parsePhone(send.phone, send.country)?.e164 ?? 'unparsed');
      byFlow.set(send.flow, entry);
    }
    expect(byFlow.size).toBeGreaterThan(0);
    for (const { raw, numbers } of byFlow.values()) {
      expect(numbers.size).toBeLessThanOrEqual(3);
      expect(numbers).not.toContain('unparsed');
      expect(raw.size).toBeGreaterThan(numbers.size * 3);
    }
  });

  it('makes every verify follow an earlier send of its own flow, for the same number', () => {
    const seen = new Map<string, SimSendLine>();
    let legitVerifies = 0;
    for (const line of lines) {
      if (line.type === 'send') {
        seen.set(line.id, line);
        continue;
      }
      const send = seen.get(line.after);
      expect(send, line.after).toBeDefined();
      expect(send?.flow).toBe(line.flow);
      expect(send?.label).toBe(line.label);
      expect(send && line.ts >= send.ts).toBe(true);
      expect(line.phone).toBe(send && parsePhone(send.phone, send.country)?.e164);
      if (line.label.startsWith('legit:')) legitVerifies++;
      else expect(line.label).toBe('attack:bots');
    }
    expect(legitVerifies).toBeGreaterThan(500);
  });

  it('leaves some legitimate codes unverified, as real users do', () => {
    const verified = new Set(lines.filter((l) => l.type === 'verify').map((l) => l.flow));
    const legitFlows = new Set(sends.filter((s) => s.label.startsWith('legit:')).map((s) => s.flow));
    const unverified = [...legitFlows].filter((f) => !verified.has(f)).length / legitFlows.size;
    expect(unverified).toBeGreaterThan(0.04);
    expect(unverified).toBeLessThan(0.14);
  });

  it('puts dozens of app users behind one carrier address and an office behind one IP', () => {
    const usersPerIp = (label: string): number => {
      const map = new Map<string, Set<string>>();
      for (const s of sends) {
        if (s.label !== label) continue;
        const set = map.get(s.ip) ?? new Set();
        set.add(s.account ?? s.phone);
        map.set(s.ip, set);
      }
      return Math.max(...[...map.values()].map((set) => set.size));
    };
    expect(usersPerIp('legit:app')).toBeGreaterThanOrEqual(10);
    expect(usersPerIp('legit:office')).toBeGreaterThanOrEqual(20);
  });

  it('sends account takeovers against accounts that legitimate bank users have', () => {
    const bankAccounts = new Set(sends.filter((s) => s.label === 'legit:sensitive').map((s) => s.account));
    const ato = sends.filter((s) => s.label === 'attack:ato');
    expect(ato.length).toBeGreaterThan(0);
    expect(ato.every((s) => s.account?.startsWith('bank-') && s.scenario !== 'register')).toBe(true);
    // Account ids are drawn from the same population, so some collide even in a short run.
    expect(ato.some((s) => bankAccounts.has(s.account))).toBe(true);
  });

  it('rejects bad options', () => {
    expect(() => [...simulateLines({ seed: 1.5 })]).toThrow(/seed/);
    expect(() => [...simulateLines({ seed: 1, days: 0 })]).toThrow(/days/);
    expect(() => [...simulateLines({ seed: 1, scale: -1 })]).toThrow(/scale/);
    expect(() => [...simulateLines({ seed: 1, start: 'soon' })]).toThrow(/start/);
  });

  it('streams in bounded memory', { timeout: 30_000 }, () => {
    // ~330k lines: far more than the heap bound below could hold as lines.
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let count = 0;
    for (const line of simulateLines({ seed: 5, days: 1, scale: 5.5 })) {
      count++;
      if ((count & 8191) === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      void line;
    }
    expect(count).toBeGreaterThan(300_000);
    expect(peak - before).toBeLessThan(160 * 1024 * 1024);
  });
});
