/**
 * A hot key: DynamoDB throttles one partition key (a bombed number's counter) while it serves
 * every other key. A key that busy is evidence of an attack on it, so its throttling must never
 * turn into a fail-open send for that number: the attempt is refused (503 `STORE_UNAVAILABLE`,
 * `Retry-After`) whatever the scenario's `onStoreError`, and other numbers go through. Faults
 * come through the SDK (the real deserializer and retry strategy), on DynamoDB Local.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TableNames } from '../../lambdas/adapters/dynamo/create-tables';
import { DynamoCounterStore } from '../../lambdas/adapters/dynamo/dynamo-counter-store';
import { DynamoEventStore } from '../../lambdas/adapters/dynamo/dynamo-event-store';
import { DynamoListStore } from '../../lambdas/adapters/dynamo/dynamo-list-store';
import { DynamoTenantStore } from '../../lambdas/adapters/dynamo/dynamo-tenant-store';
import { DynamoVerificationStore } from '../../lambdas/adapters/dynamo/dynamo-verification-store';
import { DIM } from '../../lambdas/engine/dimensions';
import { parsePhone } from '../../lambdas/engine/phone';
import { composeShield, storeClientConfig } from '../../lambdas/handlers/compose';
import { systemClock } from '../../lambdas/ports/clock';
import type { OutgoingSms, SmsSender } from '../../lambdas/ports/sms-sender';
import { createTenant } from '../../lambdas/service/tenant-admin';
import { invoke } from '../support/api-event';
import { createTestTables } from '../support/dynamo';
import { BROWSER_UA, hasher, testGeo } from '../support/engine';
import { ukMobile } from '../support/numbers';
import { type FaultInjector, type StoreFault, injectFaults } from '../support/sdk-faults';

const endpoint = inject('dynamoEndpoint');

class CountingSender implements SmsSender {
  readonly sent: OutgoingSms[] = [];
  async send(sms: OutgoingSms) {
    this.sent.push(sms);
    return { messageId: `m-${this.sent.length}` };
  }
}

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let sequence = 7_000;
function attempt(scenario: string, phone = ukMobile(++sequence)) {
  sequence++;
  return { phone, scenario, ip: `81.2.69.${(sequence % 250) + 1}`, userAgent: BROWSER_UA, device: `hot-device-${sequence}`, message: 'Your code is 123456' };
}

/** The bombed number's key of `dimension` (`v#<dimension>#<subject>`), by its phone hash. */
function numberKeys(phone: string): { hash: string; global: string } {
  const e164 = parsePhone(phone, undefined)?.e164 ?? '';
  const hash = hasher(e164);
  return { hash, global: `v#${DIM.GLOBAL_NUMBER}#${hash}` };
}

describe.skipIf(!endpoint)('a hot key never fails open (DynamoDB Local, faults through the SDK)', () => {
  let names: TableNames;
  let close: () => void;
  let key = '';
  const worlds: { client: DynamoDBClient; faults: FaultInjector }[] = [];

  beforeAll(async () => {
    const tables = await createTestTables(endpoint, 'hotkey');
    names = tables.names;
    close = tables.close;
    key = (await createTenant(new DynamoTenantStore(tables.client, names.Tenants), { id: 'shop' }, Date.now())).apiKey;
  });
  afterEach(async () => {
    for (const { client, faults } of worlds.splice(0)) {
      await faults.close();
      client.destroy();
    }
  });
  afterAll(() => close?.());

  async function world() {
    const client = new DynamoDBClient({
      ...storeClientConfig(),
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const faults = await injectFaults(client);
    worlds.push({ client, faults });
    const sender = new CountingSender();
    const app = composeShield({
      counters: new DynamoCounterStore(client, names.Counters),
      lists: new DynamoListStore(client, names.Lists),
      verifications: new DynamoVerificationStore(client, names.Verifications),
      tenants: new DynamoTenantStore(client, names.Tenants),
      events: new DynamoEventStore(client, names.Events),
      geo: testGeo,
      hasher,
      clock: systemClock,
      logger: quiet,
      sender,
    });
    await app.directory.byApiKey(key);
    const call = (path: string, body: unknown) => invoke(app.handler, 'POST', path, { key, body });
    return { faults, sender, call };
  }

  const THROTTLES: readonly StoreFault[] = ['throughput', 'throttling'];

  describe.each(THROTTLES)('%s on one number’s global counter alone', (fault) => {
    it('refuses that number in a fail-open scenario (503, Retry-After, nothing sent) while other numbers are sent', async () => {
      const { faults, sender, call } = await world();
      const bombed = ukMobile(++sequence);
      const hot = numberKeys(bombed);
      faults.fail(fault, ['UpdateItem'], (k) => k === hot.global);
      const otherAttempt = attempt('login');

      const [login, register, verdict, other] = await Promise.all([
        call('/v1/sms/send', attempt('login', bombed)),
        call('/v1/sms/send', attempt('register', bombed)),
        call('/v1/verdicts', { ...attempt('login', bombed), message: undefined }),
        call('/v1/sms/send', otherAttempt),
      ]);
      for (const res of [login, register]) {
        expect(res).toMatchObject({ status: 503, body: { error: { code: 'STORE_UNAVAILABLE' } } });
        expect(res.headers['retry-after']).toBe('5');
      }
      // A verdict-only call never takes the cross-tenant counter: it is judged in full.
      expect(verdict.status).toBe(200);
      expect(verdict.body.verdict.reasons).not.toContain('STORE_UNAVAILABLE');
      // Another number, same tenant and scenario: a full verdict, sent.
      expect(other).toMatchObject({ status: 200, body: { sent: true } });
      expect(other.body.verdict.reasons).not.toContain('STORE_UNAVAILABLE');
      expect(sender.sent.map((s) => s.e164)).toEqual([parsePhone(otherAttempt.phone, undefined)?.e164]);
      await faults.idle();
      expect(faults.total(faults.faultedAttempts)).toBeGreaterThan(0);

      // The key cools down: the number is judged in full again (by now over its own limits).
      faults.heal();
      const after = await call('/v1/sms/send', attempt('login', bombed));
      expect(after.status).not.toBe(503);
      expect(after.body.verdict.reasons).not.toContain('STORE_UNAVAILABLE');
    });
  });

  it('a throttle on every write (the table, not one key) still follows the scenario: login fails open', async () => {
    const { faults, sender, call } = await world();
    faults.fail('throughput', ['UpdateItem']);
    const login = await call('/v1/sms/send', attempt('login'));
    expect(login).toMatchObject({ status: 200, body: { sent: true, verdict: { reasons: expect.arrayContaining(['STORE_UNAVAILABLE']) } } });
    expect(sender.sent).toHaveLength(1);
  });
});
