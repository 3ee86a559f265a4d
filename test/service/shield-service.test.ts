import { describe, expect, it } from 'vitest';
import { ShieldService, type ServiceLogger } from '../../lambdas/service/shield-service';
import type { ResolvedTenant } from '../../lambdas/service/tenant-directory';
import type { OutgoingSms, SmsSender } from '../../lambdas/ports/sms-sender';
import { memoryEngine, policy, resolvedTenant, sendRequest } from '../support/engine';

class RecordingLogger implements ServiceLogger {
  readonly lines: string[] = [];
  info = (m: string, ...e: Record<string, unknown>[]) => void this.lines.push(JSON.stringify([m, ...e]));
  warn = this.info;
  error = this.info;
}

class FakeSender implements SmsSender {
  readonly sent: OutgoingSms[] = [];
  failNext = false;
  async send(sms: OutgoingSms) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error(`Throttled publishing to ${sms.e164}`);
    }
    this.sent.push(sms);
    return { messageId: `m-${this.sent.length}` };
  }
}

const tenant = (mode: 'enforce' | 'shadow' = 'enforce'): ResolvedTenant => resolvedTenant('shop', { mode });
const request = sendRequest;

function setup() {
  const { engine, clock } = memoryEngine();
  const sender = new FakeSender();
  const logger = new RecordingLogger();
  return { service: new ShieldService({ engine, sender, logger }), sender, logger, clock };
}

describe('ShieldService.send', () => {
  it('sends after an allow verdict and says so', async () => {
    const { service, sender } = setup();
    const outcome = await service.send(tenant(), request);
    expect(outcome).toMatchObject({ kind: 'sent', body: { decision: 'allow', sent: true, messageId: 'm-1' } });
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]?.e164).toBe('+447400123456');
  });

  it('does not send on a block and answers 429 with Retry-After for a rate limit', async () => {
    const { service, sender } = setup();
    await service.send(tenant(), request);
    const outcome = await service.send(tenant(), request);
    expect(outcome).toMatchObject({ kind: 'rate-limited', body: { sent: false } });
    expect(outcome.body.verdict.reasons[0]).toBe('NUMBER_VELOCITY');
    expect(outcome.kind === 'rate-limited' && outcome.retryAfterSeconds).toBeGreaterThan(0);
    expect(sender.sent).toHaveLength(1);
  });

  it('answers 403 for a hard block such as a premium-rate number', async () => {
    const { service, sender } = setup();
    const outcome = await service.send(tenant(), { ...request, phone: '+44 909 879 0000' });
    expect(outcome).toMatchObject({ kind: 'refused', body: { decision: 'block', sent: false } });
    expect(outcome.body.verdict.reasons[0]).toBe('PREMIUM_RATE_NUMBER');
    expect(sender.sent).toHaveLength(0);
  });

  it('reports a provider failure truthfully and gives the quota back for a safe retry', async () => {
    const { service, sender, logger } = setup();
    sender.failNext = true;
    const failed = await service.send(tenant(), request);
    expect(failed).toMatchObject({ kind: 'provider-failed', body: { sent: false, error: { code: 'SEND_FAILED' } } });
    const retried = await service.send(tenant(), request);
    expect(retried).toMatchObject({ kind: 'sent', body: { sent: true } });
    expect(logger.lines.join('\n')).not.toContain('7400123456');
  });

  it('sends anyway in shadow mode and records what would have happened', async () => {
    const { service, sender } = setup();
    const outcome = await service.send(tenant('shadow'), { ...request, phone: '+44 909 879 0000' });
    expect(outcome).toMatchObject({ kind: 'sent', body: { sent: true, verdict: { decision: 'block', shadow: true } } });
    expect(sender.sent).toHaveLength(1);
  });

  it('never logs the number in plain text', async () => {
    const { service, logger } = setup();
    await service.send(tenant(), request);
    await service.send(tenant(), request);
    const logs = logger.lines.join('\n');
    expect(logs).toContain('+44 74** ***456');
    expect(logs).not.toMatch(/7400\s?123\s?456/);
  });
});

describe('ShieldService.verdict', () => {
  it('keeps the quota for an allow (the caller sends elsewhere) and releases it otherwise', async () => {
    const { service } = setup();
    expect((await service.verdict(tenant(), request)).decision).toBe('allow');
    expect((await service.verdict(tenant(), request)).decision).toBe('block');
  });
});

describe('ShieldService when the store cannot be reached', () => {
  function brokenStore() {
    const { engine, counters, clock } = memoryEngine();
    const sender = new FakeSender();
    const logger = new RecordingLogger();
    const down = async () => {
      throw Object.assign(new Error('connect ETIMEDOUT'), { name: 'TimeoutError' });
    };
    counters.increment = down;
    counters.addDistinct = down;
    return { service: new ShieldService({ engine, sender, logger }), sender, logger, clock };
  }

  it('fails open for login: judges on stateless signals, sends, and says so', async () => {
    const { service, sender } = brokenStore();
    const outcome = await service.send(tenant(), request);
    expect(outcome).toMatchObject({ kind: 'sent', body: { sent: true, verdict: { decision: 'allow', reasons: ['STORE_UNAVAILABLE'] } } });
    expect(sender.sent).toHaveLength(1);
  });

  it('still refuses a premium-rate number while failing open', async () => {
    const { service, sender } = brokenStore();
    const outcome = await service.send(tenant(), { ...request, phone: '+44 909 879 0000' });
    expect(outcome.kind).toBe('refused');
    expect(outcome.body.verdict.reasons).toEqual(['PREMIUM_RATE_NUMBER', 'STORE_UNAVAILABLE']);
    expect(sender.sent).toHaveLength(0);
  });

  it('fails closed for a transfer: STORE_UNAVAILABLE (503), nothing sent', async () => {
    const { service, sender } = brokenStore();
    await expect(service.send(tenant(), { ...request, scenario: 'transfer' })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      retryAfterSeconds: 5,
    });
    expect(sender.sent).toHaveLength(0);
  });

  it("follows the tenant's choice per scenario", async () => {
    const { service, sender } = brokenStore();
    const strict: ResolvedTenant = { ...tenant(), policy: policy({ scenarios: { login: { onStoreError: 'closed' } } }) };
    await expect(service.send(strict, request)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(sender.sent).toHaveLength(0);
  });
});
