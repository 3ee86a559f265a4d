import { describe, expect, it } from 'vitest';
import { evaluate, evaluateLines, formatEvaluation, type ReplayDecision } from '../../lambdas/sim/evaluate';
import type { SimLabel, SimLine, SimSendLine } from '../../lambdas/sim/types';

let clock = Date.parse('2026-11-02T10:00:00.000Z');
function send(id: string, flow: string, label: SimLabel): SimSendLine {
  clock += 1000;
  return { type: 'send', id, ts: new Date(clock).toISOString(), tenant: 'shop', phone: '+447400123456', scenario: 'login', ip: '81.2.69.142', label, flow };
}

const lines: SimLine[] = [
  // legit:web — flow w1 served on the retry; w2 never served; w3 served at once.
  send('w1#1', 'web/w1', 'legit:web'),
  send('w1#2', 'web/w1', 'legit:web'),
  send('w2#1', 'web/w2', 'legit:web'),
  send('w3#1', 'web/w3', 'legit:web'),
  { type: 'verify', ts: '2026-11-02T10:01:00.000Z', tenant: 'shop', phone: '+447400123456', success: true, after: 'w3#1', label: 'legit:web', flow: 'web/w3' },
  // legit:app — one flow, served.
  send('a1#1', 'app/a1', 'legit:app'),
  // attack:pumping — two variants; 1 of 4 sent overall.
  send('pb#1', 'pumping-burst/1', 'attack:pumping'),
  send('pb#2', 'pumping-burst/1', 'attack:pumping'),
  send('pp#1', 'pumping-paced/1', 'attack:pumping'),
  send('pp#2', 'pumping-paced/1', 'attack:pumping'),
  // attack:bombing — 1 of 2 sent, one without a decision.
  send('b#1', 'bombing/1', 'attack:bombing'),
  send('b#2', 'bombing/1', 'attack:bombing'),
  send('b#3', 'bombing/1', 'attack:bombing'),
];

const decisions = new Map<string, ReplayDecision>([
  ['w1#1', { decision: 'challenge', reasons: ['CHALLENGE_REQUIRED'] }],
  ['w1#2', { decision: 'allow', reasons: [] }],
  ['w2#1', { decision: 'block', reasons: ['NUMBER_VELOCITY', 'DATACENTER_IP'] }],
  ['w3#1', { decision: 'allow', reasons: [] }],
  ['a1#1', { decision: 'allow', reasons: [] }],
  ['pb#1', { decision: 'block', reasons: ['RANGE_VELOCITY'] }],
  ['pb#2', { decision: 'block', reasons: ['RANGE_VELOCITY'] }],
  ['pp#1', { decision: 'allow', reasons: [] }],
  ['pp#2', { decision: 'challenge', reasons: ['CHALLENGE_REQUIRED'] }],
  ['b#1', { decision: 'allow', reasons: ['DATACENTER_IP'] }],
  ['b#2', { decision: 'block', reasons: ['NUMBER_VELOCITY'] }],
]);

describe('evaluate', () => {
  it('counts attempts, sends, leaks and served flows per class', () => {
    const result = evaluateLines(lines, decisions);
    const web = result.classes.find((c) => c.label === 'legit:web');
    expect(web).toMatchObject({ attempts: 4, allowed: 2, challenged: 1, blocked: 1, flows: 3, flowsServed: 2, undecided: 0 });
    expect(web?.reasons).toEqual({ CHALLENGE_REQUIRED: 1, NUMBER_VELOCITY: 1, DATACENTER_IP: 1 });

    const pumping = result.classes.find((c) => c.label === 'attack:pumping');
    expect(pumping).toMatchObject({ attempts: 4, allowed: 1, challenged: 1, blocked: 2, flows: 2 });
    expect(pumping?.reasons).toEqual({ RANGE_VELOCITY: 2, CHALLENGE_REQUIRED: 1 });

    const bombing = result.classes.find((c) => c.label === 'attack:bombing');
    // Reasons on an allowed send do not count among the reasons for not sending.
    expect(bombing).toMatchObject({ attempts: 3, allowed: 1, blocked: 1, undecided: 1 });
    expect(bombing?.reasons).toEqual({ NUMBER_VELOCITY: 1 });

    expect(result.variants.map((v) => v.variant)).toEqual(['pumping-burst', 'pumping-paced']);
    expect(result.variants.find((v) => v.variant === 'pumping-paced')).toMatchObject({ attempts: 2, allowed: 1 });

    expect(result.legitOverall).toEqual({ flows: 4, flowsServed: 3, attempts: 5, notSent: 2 });
    expect(result.worstAttack).toEqual({ label: 'attack:bombing', leak: 1 / 3, attempts: 3, sent: 1 });
    expect(result.classes.map((c) => c.label)).toEqual(['legit:web', 'legit:app', 'attack:bombing', 'attack:pumping']);
  });

  it('leaves out sends before `since` (the replay warm-up)', () => {
    const since = lines[3]?.ts as string;
    const result = evaluateLines(lines, decisions, { since });
    const web = result.classes.find((c) => c.label === 'legit:web');
    expect(web).toMatchObject({ attempts: 1, allowed: 1, flows: 1, flowsServed: 1 });
    expect(result.legitOverall.attempts).toBe(2);
  });

  it('accepts async line sources', async () => {
    async function* stream(): AsyncGenerator<SimLine> {
      yield* lines;
    }
    expect(await evaluate(stream(), decisions)).toEqual(evaluateLines(lines, decisions));
  });

  it('counts SMS per bombed victim across tenants and aliases, per class and variant', () => {
    const hit = (id: string, flow: string, tenant: string, phone: string, country?: string): SimSendLine => ({
      ...send(id, flow, 'attack:bombing'),
      tenant,
      phone,
      ...(country === undefined ? {} : { country }),
    });
    const bombing: SimLine[] = [
      // Victim A through six tenants, written three ways: 6 of 7 sent.
      ...['shop', 'bank', 'social', 'saas', 'delivery', 'dating'].map((tenant, i) => hit(`i${i}`, 'bombing-interfaces/1', tenant, '+447400123456')),
      hit('i6', 'bombing-interfaces/1', 'tickets', '07400 123456', 'GB'),
      // Victim B: one of two sent.
      hit('i7', 'bombing-interfaces/1', 'shop', '+4915112345678'),
      hit('i8', 'bombing-interfaces/1', 'bank', '+49 151 12345678'),
      // The classic bomber on victim A as well: nothing sent.
      hit('c0', 'bombing/1', 'social', '00447400123456'),
      send('s0', 'bombing-slow/1', 'attack:bombing-slow'),
    ];
    const allow = { decision: 'allow', reasons: [] };
    const decided = new Map<string, ReplayDecision>([
      ...['i0', 'i1', 'i2', 'i3', 'i4', 'i6', 'i8', 's0'].map((id): [string, ReplayDecision] => [id, allow]),
      ['i5', { decision: 'block', reasons: ['NUMBER_MANY_TENANTS'] }],
      ['i7', { decision: 'block', reasons: ['NUMBER_MANY_TENANTS'] }],
      ['c0', { decision: 'block', reasons: ['NUMBER_MANY_TENANTS'] }],
    ]);
    const result = evaluateLines(bombing, decided);
    expect(result.bombingVictims).toEqual([
      { label: 'attack:bombing', victims: 2, maxSms: 6, meanSms: 3.5, overTarget: 1 },
      { label: 'attack:bombing', variant: 'bombing', victims: 1, maxSms: 0, meanSms: 0, overTarget: 0 },
      { label: 'attack:bombing', variant: 'bombing-interfaces', victims: 2, maxSms: 6, meanSms: 3.5, overTarget: 1 },
      { label: 'attack:bombing-slow', victims: 1, maxSms: 1, meanSms: 1, overTarget: 0 },
    ]);
    const text = formatEvaluation(result);
    expect(text).toContain('### SMS per bombed victim (all tenants; target ≤ 5)');
    expect(text).toContain('| ↳ bombing-interfaces | 2 | 6 | 3.5 | 1 |');
    expect(text).toContain('| attack:bombing-slow | 1 | 1 | 1.0 | 0 |');
  });

  it('prints Markdown tables with leaks, served shares and top reasons', () => {
    const text = formatEvaluation(evaluateLines(lines, decisions));
    expect(text).toContain('| attack:pumping | 2 | 4 | 1 | 25.0% | 1 | 2 | RANGE_VELOCITY 2 (66.7%), CHALLENGE_REQUIRED 1 (33.3%) |');
    expect(text).toContain('| ↳ pumping-paced | 1 | 2 | 1 | 50.0% | 1 | 0 | CHALLENGE_REQUIRED 1 (100.0%) |');
    expect(text).toContain('| legit:web | 3 | 66.7% | 4 | 25.0% | 25.0% |');
    expect(text).toContain('- Legitimate flows served: 75.0% (3 of 4); attempts not sent: 40.0%');
    expect(text).toContain('- Worst attack leak: attack:bombing 33.3% (1 of 3 sent)');
    expect(text).toContain('- Sends without a replay decision: 1');
  });
});
