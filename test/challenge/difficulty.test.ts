import { describe, expect, it } from 'vitest';
import { MemoryCounterStore } from '../../lambdas/adapters/memory/memory-counter-store';
import { MemoryReplayGuard } from '../../lambdas/adapters/memory/memory-replay-guard';
import { difficultyLevel } from '../../lambdas/challenge/difficulty';
import { ManMachine } from '../../lambdas/challenge/man-machine';
import { ManualClock } from '../../lambdas/ports/clock';
import { hasher, T0, testGeo } from '../support/engine';

const person = { hosting: false, agent: 'browser' as const, issuedThisHour: 1 };

describe('difficultyLevel', () => {
  it('gives a person on a residential network in a browser the base level', () => {
    expect(difficultyLevel(person, 4)).toBe(1);
  });
  it('adds a level for a datacenter address, and one for an automation or headless agent', () => {
    expect(difficultyLevel({ ...person, hosting: true }, 4)).toBe(2);
    expect(difficultyLevel({ ...person, agent: 'automation' }, 4)).toBe(2);
    expect(difficultyLevel({ ...person, hosting: true, agent: 'headless' }, 4)).toBe(3);
  });
  it('adds a level per step of challenge-fetching velocity from one address', () => {
    expect(difficultyLevel({ ...person, issuedThisHour: 30 }, 4)).toBe(1);
    expect(difficultyLevel({ ...person, issuedThisHour: 31 }, 4)).toBe(2);
    expect(difficultyLevel({ ...person, issuedThisHour: 121 }, 4)).toBe(3);
  });
  it('honours a higher requested level, never a lower one, and caps at the top level', () => {
    expect(difficultyLevel({ ...person, requested: 3 }, 4)).toBe(3);
    expect(difficultyLevel({ ...person, hosting: true, requested: 1 }, 4)).toBe(2);
    expect(difficultyLevel({ ...person, hosting: true, agent: 'headless', issuedThisHour: 500, requested: 9 }, 4)).toBe(4);
  });
});

describe('ManMachine.challenge', () => {
  function setup() {
    const clock = new ManualClock(T0);
    const manMachine = new ManMachine({
      secret: 'man-machine-secret-for-tests',
      replays: new MemoryReplayGuard(),
      counters: new MemoryCounterStore(clock),
      geo: testGeo,
      hasher,
      clock,
      levels: [1_000, 4_000, 16_000, 64_000],
    });
    return { clock, manMachine };
  }
  const browser = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

  it('raises the level for a datacenter caller and for an HTTP library', async () => {
    const { manMachine } = setup();
    expect((await manMachine.challenge({ tenant: 'shop', ip: '81.2.69.142', userAgent: browser })).level).toBe(1);
    expect((await manMachine.challenge({ tenant: 'shop', ip: '3.1.2.3', userAgent: browser })).level).toBe(2);
    expect((await manMachine.challenge({ tenant: 'shop', ip: '3.1.2.4', userAgent: 'python-requests/2.31' })).level).toBe(3);
  });

  it('raises the level for an address that keeps fetching challenges, and resets with the hour', async () => {
    const { manMachine, clock } = setup();
    const levels: number[] = [];
    for (let i = 0; i < 125; i++) levels.push((await manMachine.challenge({ tenant: 'shop', ip: '81.2.69.10', userAgent: browser })).level);
    expect(levels[29]).toBe(1);
    expect(levels[30]).toBe(2);
    expect(levels[124]).toBe(3);
    // Another address on the same network is judged on its own.
    expect((await manMachine.challenge({ tenant: 'shop', ip: '81.2.69.11', userAgent: browser })).level).toBe(1);
    clock.advance(3_600_000);
    expect((await manMachine.challenge({ tenant: 'shop', ip: '81.2.69.10', userAgent: browser })).level).toBe(1);
  });

  it('adds the headless marker when the token request itself comes from a headless browser', async () => {
    const { manMachine } = setup();
    const headless = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36';
    expect((await manMachine.device({ fingerprint: 'abcdefgh12345678' }, headless)).markers).toEqual(['headless-ua']);
    expect((await manMachine.device({ fingerprint: 'abcdefgh12345678' }, browser)).markers).toEqual([]);
  });
});
