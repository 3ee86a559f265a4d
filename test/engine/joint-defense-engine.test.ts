import { describe, expect, it, vi } from 'vitest';
import { createMemoryStores } from '../../lambdas/adapters/memory/memory-stores';
import { RiskEngine } from '../../lambdas/engine/engine';
import { createHasher } from '../../lambdas/engine/hasher';
import { REPUTATION_SCOPE } from '../../lambdas/engine/reputation';
import { ManualClock } from '../../lambdas/ports/clock';
import type { EventStore } from '../../lambdas/ports/event-store';
import { T0, attempt, hasher, policy, testGeo } from '../support/engine';

function engineWith(overrides: { events?: EventStore; reputationHasher?: ReturnType<typeof createHasher>; onEventError?: (e: unknown) => void } = {}) {
  const clock = new ManualClock(T0);
  const { counters, lists, verifications, events } = createMemoryStores(clock);
  const engine = new RiskEngine({
    counters,
    lists,
    verifications,
    geo: testGeo,
    hasher,
    clock,
    events: overrides.events ?? events,
    reputationHasher: overrides.reputationHasher,
    onEventError: overrides.onEventError,
  });
  return { clock, lists, events, engine };
}

describe('RiskEngine and shared reputation', () => {
  it('reads reputation by exact key in the same single list read as the lists', async () => {
    const { engine, lists } = engineWith();
    const getMany = vi.spyOn(lists, 'getMany');
    await engine.assess(attempt({ account: 'acct-1' }), policy());
    expect(getMany).toHaveBeenCalledTimes(1);
    const keys = getMany.mock.calls[0]![0];
    expect(keys.filter((k) => k.scope === REPUTATION_SCOPE).map((k) => k.kind)).toEqual(['number', 'prefix', 'country', 'ip', 'cidr', 'device']);
    // Hashed values (and the country), never the number, address or device itself.
    for (const k of keys.filter((k) => k.scope === REPUTATION_SCOPE && k.kind !== 'country')) expect(k.value).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(keys.find((k) => k.scope === REPUTATION_SCOPE && k.kind === 'number')?.value).toBe(hasher('+447400123456'));
  });

  it('hands matching reputation entries to the rules, never to the list rule', async () => {
    const { engine, lists } = engineWith();
    await lists.put({
      scope: REPUTATION_SCOPE,
      kind: 'number',
      value: hasher('+447400123456'),
      action: 'block',
      reason: 'JOINT_DEFENSE_VICTIM',
      confidence: 0.9,
      createdAt: 0,
      expiresAt: T0 / 1000 + 600,
    });
    const { verdict } = await engine.assess(attempt({ phone: '07400 123456', country: 'GB' }), policy());
    expect(verdict).toMatchObject({ decision: 'challenge', reasons: ['CHALLENGE_REQUIRED', 'JOINT_DEFENSE_VICTIM'] });
    // Expired: gone.
    await lists.put({
      scope: REPUTATION_SCOPE,
      kind: 'number',
      value: hasher('+447400123457'),
      action: 'block',
      reason: 'JOINT_DEFENSE_VICTIM',
      createdAt: 0,
      expiresAt: T0 / 1000,
    });
    expect((await engine.assess(attempt({ phone: '+447400123457' }), policy())).verdict.reasons).toEqual([]);
  });

  it('records a compact, hashed event for every settled verdict and every verified code', async () => {
    const { engine, events, clock } = engineWith();
    const allowed = await engine.assess(attempt({ tenant: 'shop' }), policy());
    await engine.settle(allowed, true);
    clock.advance(20_000);
    await engine.recordVerification({ tenant: 'shop', phone: '+447400123456', success: true });
    const blocked = await engine.assess(attempt({ tenant: 'shop', phone: '+44 909 879 0000' }), policy());
    await engine.settle(blocked, false);
    const { events: recorded } = await events.read(T0, T0 + 60_000, 10);
    expect(recorded.map((e) => [e.kind, e.decision, e.sent])).toEqual([
      ['send', 'allow', true],
      ['verify', undefined, undefined],
      ['send', 'block', false],
    ]);
    const [send, verify] = recorded;
    expect(send).toMatchObject({
      at: T0,
      tenant: 'shop',
      scenario: 'login',
      number: hasher('+447400123456'),
      country: 'GB',
      device: hasher('device:plain:device-1'),
      ip: hasher('ip:81.2.69.142'),
    });
    expect(verify?.ref).toBe(send?.ref);
    expect(JSON.stringify(recorded)).not.toMatch(/7400|81\.2\.69|device-1/);
  });

  it('keys reputation with the alliance indicator key when one is given', async () => {
    const alliance = createHasher('an-alliance-indicator-key-0123');
    const { engine, lists } = engineWith({ reputationHasher: alliance });
    const getMany = vi.spyOn(lists, 'getMany');
    await engine.assess(attempt(), policy());
    const number = getMany.mock.calls[0]![0].find((k) => k.scope === REPUTATION_SCOPE && k.kind === 'number');
    expect(number?.value).toBe(alliance('+447400123456'));
    expect(number?.value).not.toBe(hasher('+447400123456'));
  });

  it('never fails a verdict because an event could not be recorded', async () => {
    const errors: unknown[] = [];
    const broken: EventStore = { record: () => Promise.reject(new Error('throttled')), read: () => Promise.reject(new Error('unused')) };
    const { engine } = engineWith({ events: broken, onEventError: (e) => errors.push(e) });
    const a = await engine.assess(attempt(), policy());
    await expect(engine.settle(a, true)).resolves.toBeUndefined();
    await expect(engine.recordVerification({ tenant: 'shop', phone: '+447400123456', success: true })).resolves.toBe(true);
    expect(errors).toHaveLength(2);
  });
});
