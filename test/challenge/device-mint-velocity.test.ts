import { describe, expect, it } from 'vitest';
import { MemoryCounterStore } from '../../lambdas/adapters/memory/memory-counter-store';
import { MemoryReplayGuard } from '../../lambdas/adapters/memory/memory-replay-guard';
import { MINT_HARD_FACTOR, MINT_SOFT_LIMITS, ManMachine } from '../../lambdas/challenge/man-machine';
import type { CounterIncrement } from '../../lambdas/ports/counter-store';
import { ManualClock } from '../../lambdas/ports/clock';
import { ShieldError } from '../../lambdas/domain/errors';
import { hasher, T0, testGeo } from '../support/engine';

/** Counters that remember every key they were asked to write. */
class RecordingCounters extends MemoryCounterStore {
  keys = new Set<string>();
  override async increment(increments: readonly CounterIncrement[]) {
    for (const inc of increments) this.keys.add(inc.key);
    return super.increment(increments);
  }
}

function setup() {
  const clock = new ManualClock(T0 + 60_000); // one minute into the hour
  const counters = new RecordingCounters(clock);
  const manMachine = new ManMachine({ secret: 'man-machine-secret-for-tests', replays: new MemoryReplayGuard(), counters, geo: testGeo, hasher, clock });
  const mint = (ip: string | undefined, fingerprint: string, token?: string) => manMachine.device({ fingerprint, ...(token && { token }) }, 'Mozilla/5.0', ip);
  const marked = (token: string) => (manMachine.devices.read(token) as { serverMarkers?: string[] }).serverMarkers ?? [];
  return { clock, counters, manMachine, mint, marked };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
/** The value, or the error it failed with. */
const settle = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => value as T | unknown,
    (error: unknown) => error,
  );
const ADDRESS = MINT_SOFT_LIMITS.address;
const NETWORK = MINT_SOFT_LIMITS.network;

describe('device token minting velocity', () => {
  it('marks tokens minted in a burst from one address, then refuses with 429 and Retry-After', async () => {
    const { mint, marked, counters } = setup();
    const tokens: string[] = [];
    for (let i = 0; i < ADDRESS * MINT_HARD_FACTOR; i++) tokens.push((await mint('81.2.69.142', `bot-fingerprint-${i}`)).token);
    expect(marked(tokens[ADDRESS - 1]!)).toEqual([]);
    expect(marked(tokens[ADDRESS]!)).toEqual(['mint-burst']);
    expect(marked(tokens.at(-1)!)).toEqual(['mint-burst']);
    const refused = await failure(mint('81.2.69.142', 'bot-fingerprint-over'));
    expect(refused).toBeInstanceOf(ShieldError);
    expect(refused).toMatchObject({ code: 'DEVICE_MINT_LIMITED', retryAfterSeconds: 3_600 - 60 });
    // Counted under hashes: no address or network in any key.
    expect([...counters.keys].some((k) => k.includes('81.2.69'))).toBe(false);
  });

  it('does not let a burst from one address mark or lock out its neighbours on the same /24', async () => {
    const { mint, marked } = setup();
    for (let i = 0; i < 2_000; i++) await failure(mint('81.2.69.142', `bot-fingerprint-${i}`));
    // Only mints the address limit let through count for the network: one address stays under its limits.
    const neighbour = await mint('81.2.69.10', 'neighbour-fingerprint');
    expect(marked(neighbour.token)).toEqual([]);
  });

  it('never counts, marks or refuses the renewal of a valid token: people who have a device keep it', async () => {
    const { mint, marked } = setup();
    const person = await mint('81.2.69.142', 'person-fingerprint');
    // A bot on the same carrier NAT address mints until refused…
    for (let i = 0; i < ADDRESS * MINT_HARD_FACTOR + 10; i++) await failure(mint('81.2.69.142', `bot-fingerprint-${i}`));
    // …the person's SDK renews on every protect(), unhindered and unmarked.
    const renewed = await mint('81.2.69.142', 'person-fingerprint', person.token);
    expect(renewed.deviceId).toBe(person.deviceId);
    expect(marked(renewed.token)).toEqual([]);
  });

  it('lets a person who needs a new token on that address have one, unmarked, once the hour turns', async () => {
    const { mint, marked, clock } = setup();
    for (let i = 0; i < ADDRESS * MINT_HARD_FACTOR + 10; i++) await failure(mint('81.2.69.142', `bot-fingerprint-${i}`));
    expect(await failure(mint('81.2.69.142', 'new-person'))).toMatchObject({ code: 'DEVICE_MINT_LIMITED' });
    clock.advance(3_600_000);
    expect(marked((await mint('81.2.69.142', 'new-person')).token)).toEqual([]);
  });

  it('does not count renewals of a valid token, however many', async () => {
    const { mint, marked } = setup();
    const person = await mint('81.2.69.142', 'person-fingerprint');
    let token = person.token;
    for (let i = 0; i < ADDRESS * MINT_HARD_FACTOR * 2; i++) token = (await mint('81.2.69.142', 'person-fingerprint', token)).token;
    expect(marked((await mint('81.2.69.142', 'another-person')).token)).toEqual([]);
  });

  it('counts renewals of expired tokens: a hoard of old tokens cannot be revived in bulk', async () => {
    const { mint, marked, clock } = setup();
    const hoard: string[] = [];
    for (let i = 0; i < ADDRESS * MINT_HARD_FACTOR + 1; i++) hoard.push((await mint(`90.${i % 250}.${Math.floor(i / 250)}.1`, `hoarded-${i}`)).token);
    clock.advance(8 * 86_400_000);
    const revived = [];
    for (const token of hoard) revived.push(await settle(mint('81.2.69.142', 'any-fingerprint', token).then((d) => d.token)));
    expect(marked(revived[ADDRESS - 1] as string)).toEqual([]);
    expect(marked(revived[ADDRESS] as string)).toEqual(['mint-burst']);
    expect(revived.at(-1)).toMatchObject({ code: 'DEVICE_MINT_LIMITED' });
  });

  it('forged previous tokens are fresh mints and count', async () => {
    const { mint, marked } = setup();
    const tokens: string[] = [];
    for (let i = 0; i <= ADDRESS; i++) tokens.push((await mint('81.2.69.142', `bot-${i}`, `sdt2.forged-${i}`)).token);
    expect(marked(tokens.at(-1)!)).toEqual(['mint-burst']);
  });

  it('limits a /24 spread over many addresses, and an IPv6 /64 however its addresses rotate', async () => {
    const { mint, marked } = setup();
    const spread: unknown[] = [];
    for (let i = 0; i < NETWORK * MINT_HARD_FACTOR + 1; i++) {
      spread.push(await settle(mint(`81.2.69.${i % 100}`, `spread-${i}`).then((d) => d.token)));
    }
    expect(marked(spread[NETWORK - 1] as string)).toEqual([]);
    expect(marked(spread[NETWORK] as string)).toEqual(['mint-burst']);
    expect(spread.at(-1)).toMatchObject({ code: 'DEVICE_MINT_LIMITED' });

    const v6: unknown[] = [];
    for (let i = 0; i < NETWORK * MINT_HARD_FACTOR + 1; i++) v6.push(await settle(mint(`2a01:4b00:1:2::${i.toString(16)}`, `v6-${i}`).then((d) => d.token)));
    expect(marked(v6[NETWORK] as string)).toEqual(['mint-burst']);
    expect(v6.at(-1)).toMatchObject({ code: 'DEVICE_MINT_LIMITED' });
  });

  it('counts nothing without a caller address, as the challenge route', async () => {
    const { mint, counters } = setup();
    await mint(undefined, 'no-address-fingerprint');
    expect(counters.calls).toBe(0);
  });
});
