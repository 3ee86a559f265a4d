import { describe, expect, it } from 'vitest';
import { MemoryReplayGuard } from '../../lambdas/adapters/memory/memory-replay-guard';
import { ManMachine } from '../../lambdas/challenge/man-machine';
import { solveChallenge } from '../../lambdas/challenge/solve';
import type { OutgoingSms, SmsSender } from '../../lambdas/ports/sms-sender';
import { ShieldService, type ServiceLogger } from '../../lambdas/service/shield-service';
import type { ResolvedTenant } from '../../lambdas/service/tenant-directory';
import { hasher, memoryEngine, policy, testGeo } from '../support/engine';

const logger: ServiceLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

class FakeSender implements SmsSender {
  readonly sent: OutgoingSms[] = [];
  async send(sms: OutgoingSms) {
    this.sent.push(sms);
    return { messageId: `m-${this.sent.length}` };
  }
}

/** A tenant that asks every sign-up for a proof of work (`register` challenges at score 0). */
const tenant: ResolvedTenant = {
  tenant: { id: 'shop', name: 'Shop', createdAt: 0, policy: {} },
  policy: policy({ scenarios: { register: { challengeAt: 0 } } }),
};
const browser = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const request = (over: Record<string, unknown> = {}) => ({
  phone: '+44 7400 123456',
  scenario: 'login' as const,
  ip: '81.2.69.142',
  userAgent: browser,
  message: 'Your code is 123456',
  ...over,
});

function setup() {
  const { engine, clock, counters } = memoryEngine();
  const manMachine = new ManMachine({
    secret: 'man-machine-secret-for-tests',
    replays: new MemoryReplayGuard(),
    counters,
    geo: testGeo,
    hasher,
    clock,
    levels: [2_000, 8_000],
  });
  const sender = new FakeSender();
  const service = new ShieldService({ engine, sender, logger, challenges: manMachine.proofOfWork, devices: manMachine.devices });
  const solution = async () => solveChallenge(await manMachine.challenge({ tenant: 'shop' }))!.solution;
  return { service, sender, manMachine, clock, solution };
}

describe('ShieldService with proof of work', () => {
  it('refuses a solution easier than the attempt calls for: a level-1 solution cannot clear a datacenter address (CHALLENGE_TOO_EASY)', async () => {
    const { service, sender, manMachine } = setup();
    const solved = async (level: number) => solveChallenge(await manMachine.challenge({ tenant: 'shop', level }))!.solution;
    // Fetched from a clean address (level 1), used for an attempt from a hosting network.
    const easy = await service.send(tenant, request({ scenario: 'register', ip: '3.1.2.3', device: 'dc-1', challenge: await solved(1) }));
    expect(easy).toMatchObject({ kind: 'challenge', body: { verdict: { reasons: expect.arrayContaining(['CHALLENGE_TOO_EASY']), challengeLevel: 2 } } });
    const enough = await service.send(
      tenant,
      request({ scenario: 'register', ip: '3.1.2.3', device: 'dc-1', phone: '+44 7400 777888', challenge: await solved(2) }),
    );
    expect(enough.kind).toBe('sent');
    expect(sender.sent).toHaveLength(1);
  });

  it('answers 428 CHALLENGE_REQUIRED without a solution, sends with one, and 428 CHALLENGE_REPLAYED for a reused one', async () => {
    const { service, sender, solution } = setup();
    const device = 'backend-device-1';
    const bare = await service.send(tenant, request({ scenario: 'register', device }));
    expect(bare).toMatchObject({ kind: 'challenge', body: { decision: 'challenge', verdict: { reasons: ['CHALLENGE_REQUIRED'] } } });

    const challenge = await solution();
    const solved = await service.send(tenant, request({ scenario: 'register', device, challenge, phone: '+44 7400 222333' }));
    expect(solved).toMatchObject({ kind: 'sent', body: { sent: true } });

    const replayed = await service.send(tenant, request({ scenario: 'register', device, challenge, phone: '+44 7400 444555' }));
    expect(replayed).toMatchObject({ kind: 'challenge', body: { verdict: { reasons: ['CHALLENGE_REPLAYED'] } } });
    expect(sender.sent).toHaveLength(1);
  });

  it('answers CHALLENGE_INVALID for a solution that does not verify', async () => {
    const { service } = setup();
    const outcome = await service.send(tenant, request({ scenario: 'register', device: 'd', challenge: Buffer.from('{"x":1}').toString('base64') }));
    expect(outcome).toMatchObject({ kind: 'challenge', body: { verdict: { reasons: ['CHALLENGE_INVALID'] } } });
  });

  it('leaves scenarios that need no challenge alone', async () => {
    const { service } = setup();
    expect(await service.send(tenant, request({ device: 'd' }))).toMatchObject({ kind: 'sent' });
  });
});

describe('ShieldService with device tokens', () => {
  it('counts the device id inside the token: tokens with different markers from one browser are one device', async () => {
    const { service, manMachine } = setup();
    const fingerprint = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
    const tokens = [(await manMachine.device({ fingerprint })).token, (await manMachine.device({ fingerprint, markers: ['no-languages'] })).token];
    expect(tokens[0]).not.toBe(tokens[1]);
    const reasons: string[][] = [];
    for (let i = 0; i < 4; i++) {
      const verdict = await service.verdict(tenant, request({ phone: `+44 7400 10000${i}`, device: tokens[i % 2] }));
      reasons.push(verdict.reasons);
    }
    expect(reasons[3]).toContain('DEVICE_MANY_NUMBERS');
  });

  it('turns a forged or tampered token into DEVICE_TOKEN_INVALID, not an error', async () => {
    const { service, manMachine } = setup();
    const { token } = await manMachine.device({ fingerprint: 'abcdefabcdefabcdef' });
    for (const device of [`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, 'sdt1.made.up.token.value', 'sdt1.']) {
      const verdict = await service.verdict(tenant, request({ device }));
      expect(verdict.reasons, device).toContain('DEVICE_TOKEN_INVALID');
      expect(verdict.reasons).not.toContain('MISSING_DEVICE');
    }
  });

  it('passes the SDK markers on: a webdriver browser is challenged, a clean one is not', async () => {
    const { service, manMachine } = setup();
    const clean = (await manMachine.device({ fingerprint: 'clean-browser-fingerprint' })).token;
    const driven = (await manMachine.device({ fingerprint: 'driven-browser-fingerprint', markers: ['webdriver'] })).token;
    expect(await service.verdict(tenant, request({ device: clean }))).toMatchObject({ decision: 'allow', reasons: ['DEVICE_TOKEN_NEW'] });
    const verdict = await service.verdict(tenant, request({ device: driven, phone: '+44 7400 999888' }));
    expect(verdict).toMatchObject({ decision: 'challenge', reasons: ['CHALLENGE_REQUIRED', 'AUTOMATION_MARKERS', 'DEVICE_TOKEN_NEW'] });
  });

  it('reads an expired token as authentic but no proof of a device: never DEVICE_TOKEN_INVALID, and not counted as the id inside', async () => {
    const { service, manMachine, clock } = setup();
    const fingerprint = 'expired-browser-fingerprint';
    const tokens = [0, 1, 2, 3].map((i) => manMachine.devices.issue({ fingerprint, markers: i % 2 ? ['no-languages'] : [] }).token);
    clock.advance(8 * 86_400_000);
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push(await service.verdict(tenant, request({ phone: `+44 7400 20000${i}`, device: tokens[i] })));
    for (const verdict of verdicts) {
      expect(verdict.reasons).not.toContain('DEVICE_TOKEN_INVALID');
      // Old tokens of one device are not that device any more: a hoard of them cannot charge its counters.
      expect(verdict.reasons).not.toContain('DEVICE_MANY_NUMBERS');
    }
    // Renewed, it is the device again.
    const renewed = manMachine.devices.issue({ fingerprint, previous: tokens[0] });
    expect(manMachine.devices.signals(renewed.token).signals.token).toBe('valid');
  });

  it('hands a burst-minted token to the engine with its server marker, never as an automation marker', async () => {
    const { service, manMachine } = setup();
    let token = '';
    for (let i = 0; i <= 60; i++) token = (await manMachine.device({ fingerprint: `nat-fingerprint-${i}` }, browser, '81.2.69.142')).token;
    expect(manMachine.devices.signals(token).signals).toMatchObject({ token: 'valid', markers: [], serverMarkers: ['mint-burst'] });
    // A person who happened to mint during someone else's burst on their carrier NAT is no bot.
    const verdict = await service.verdict(tenant, request({ device: token }));
    expect(verdict.reasons).not.toContain('AUTOMATION_MARKERS');
  });

  it('keeps plain device ids working as before', async () => {
    const { service } = setup();
    expect(await service.verdict(tenant, request({ device: 'install-id-42' }))).toMatchObject({ decision: 'allow', reasons: [] });
  });
});
