import { describe, expect, it } from 'vitest';
import { MemoryIdempotencyStore } from '../../lambdas/adapters/memory/memory-idempotency-store';
import type { OutgoingSms, SmsSender } from '../../lambdas/ports/sms-sender';
import { ShieldError } from '../../lambdas/domain/errors';
import { Idempotency } from '../../lambdas/service/idempotency';
import type { SendOutcome } from '../../lambdas/service/send-outcome';
import { OtpService } from '../../lambdas/service/otp-service';
import { ShieldService, type ServiceLogger } from '../../lambdas/service/shield-service';
import type { ResolvedTenant } from '../../lambdas/service/tenant-directory';
import { createHasher } from '../../lambdas/engine/hasher';
import { memoryEngine, resolvedTenant, sendRequest } from '../support/engine';

const quiet: ServiceLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** A sender that can be held (in-flight) or made to fail once. */
class GatedSender implements SmsSender {
  readonly sent: OutgoingSms[] = [];
  failNext = false;
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open?.();
    this.gate = undefined;
  }
  async send(sms: OutgoingSms) {
    if (this.gate) await this.gate;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('provider down');
    }
    this.sent.push(sms);
    return { messageId: `m-${this.sent.length}` };
  }
}

const tenant = (id = 'shop'): ResolvedTenant => resolvedTenant(id);
const request = { ...sendRequest, idempotencyKey: 'order-1' };

function setup() {
  const { engine, clock } = memoryEngine();
  const sender = new GatedSender();
  const service = new ShieldService({ engine, sender, logger: quiet, idempotency: new Idempotency(new MemoryIdempotencyStore(), clock) });
  return { service, sender, engine, clock };
}

async function rejection(promise: Promise<unknown>): Promise<ShieldError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShieldError);
  return error as ShieldError;
}

describe('idempotent sends', () => {
  it('returns the first response to a retry and sends once', async () => {
    const { service, sender } = setup();
    const first = await service.send(tenant(), request);
    const retry = await service.send(tenant(), { ...request });
    expect(first.kind).toBe('sent');
    expect(retry).toEqual(first);
    expect(sender.sent).toHaveLength(1);
  });

  it('answers 409 IDEMPOTENCY_IN_PROGRESS while the first attempt is in flight, and sends once', async () => {
    const { service, sender } = setup();
    sender.hold();
    const first = service.send(tenant(), request);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const concurrent = await Promise.allSettled(Array.from({ length: 10 }, () => service.send(tenant(), request)));
    sender.release();
    expect((await first).kind).toBe('sent');
    for (const result of concurrent) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as ShieldError;
      expect([error.code, error.retryAfterSeconds]).toEqual(['IDEMPOTENCY_IN_PROGRESS', 1]);
    }
    expect(sender.sent).toHaveLength(1);
    expect((await service.send(tenant(), request)).kind).toBe('sent');
    expect(sender.sent).toHaveLength(1);
  });

  it('refuses a key reused with another body with 422', async () => {
    const { service, sender } = setup();
    await service.send(tenant(), request);
    const error = await rejection(service.send(tenant(), { ...request, message: 'Your code is 999999' }));
    expect(error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(sender.sent).toHaveLength(1);
  });

  it('keeps keys per tenant and without a key sends every time', async () => {
    const { service, sender } = setup();
    await service.send(tenant('shop'), request);
    await service.send(tenant('bank'), request);
    expect(sender.sent).toHaveLength(2);
    const { idempotencyKey: _key, ...noKey } = request;
    const plain = setup();
    await plain.service.send(tenant(), noKey);
    plain.clock.advance(61_000);
    await plain.service.send(tenant(), noKey);
    expect(plain.sender.sent).toHaveLength(2);
  });

  it('lets the same key retry after a provider failure (nothing was sent)', async () => {
    const { service, sender } = setup();
    sender.failNext = true;
    expect((await service.send(tenant(), request)).kind).toBe('provider-failed');
    const retry = await service.send(tenant(), request);
    expect(retry.kind).toBe('sent');
    expect(sender.sent).toHaveLength(1);
  });

  it('replays a refusal too, without counting a second attempt', async () => {
    const { service, sender } = setup();
    const premium = { ...request, phone: '+44 909 879 0000', idempotencyKey: 'premium-1' };
    const first = await service.send(tenant(), premium);
    expect(first.kind).toBe('refused');
    expect(await service.send(tenant(), premium)).toEqual(first);
    expect(sender.sent).toHaveLength(0);
  });

  it('replays a response stored before outcomes had kinds (an HTTP status) as its kind', async () => {
    const idempotency = new Idempotency(new MemoryIdempotencyStore(), memoryEngine().clock);
    const body = {
      decision: 'allow',
      sent: null,
      verdict: { decision: 'allow', score: 0, level: 'low', reasons: [] },
      error: { code: 'SEND_OUTCOME_UNKNOWN', message: 'lost' },
    };
    const legacy = async () => ({ status: 504, body }) as unknown as SendOutcome;
    await idempotency.once('shop', 'sms', { idempotencyKey: 'old-1' }, legacy);
    const replayed = await idempotency.once('shop', 'sms', { idempotencyKey: 'old-1' }, () => Promise.reject(new Error('must not run')));
    expect(replayed).toEqual({ kind: 'outcome-unknown', body });
  });

  it('deduplicates OTP sends: one code goes out, the retry gets the same response', async () => {
    const { service, sender, engine } = setup();
    const otp = new OtpService(service, engine.ledger, createHasher('k'.repeat(32)));
    const { message: _m, ...attempt } = request;
    const first = await otp.send(tenant(), { ...attempt, idempotencyKey: 'otp-1' });
    const retry = await otp.send(tenant(), { ...attempt, idempotencyKey: 'otp-1' });
    expect(first.kind).toBe('sent');
    expect(retry).toEqual(first);
    expect(sender.sent).toHaveLength(1);
    // The SMS route and the OTP route keep separate keys.
    const error = await rejection(otp.send(tenant(), { ...attempt, codeLength: 8, idempotencyKey: 'otp-1' }));
    expect(error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});

describe('idempotency store failures', () => {
  it('still returns a real send when recording its response fails', async () => {
    const { engine, clock } = memoryEngine();
    const sender = new GatedSender();
    const store = new MemoryIdempotencyStore();
    store.complete = async () => {
      throw new Error('throttled');
    };
    const seen: unknown[] = [];
    const service = new ShieldService({ engine, sender, logger: quiet, idempotency: new Idempotency(store, clock, { onStoreError: (e) => seen.push(e) }) });
    expect((await service.send(tenant(), request)).kind).toBe('sent');
    expect(seen).toHaveLength(1);
    // Unrecorded, the claim blocks duplicates until its lock expires.
    expect((await rejection(service.send(tenant(), request))).code).toBe('IDEMPOTENCY_IN_PROGRESS');
    expect(sender.sent).toHaveLength(1);
  });
});
