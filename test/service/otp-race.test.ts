import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoVerificationStore } from '../../lambdas/adapters/dynamo/dynamo-verification-store';
import { MemoryCounterStore } from '../../lambdas/adapters/memory/memory-counter-store';
import { MemoryListStore } from '../../lambdas/adapters/memory/memory-list-store';
import { MemoryVerificationStore } from '../../lambdas/adapters/memory/memory-verification-store';
import { RiskEngine } from '../../lambdas/engine/engine';
import { ManualClock } from '../../lambdas/ports/clock';
import type { VerificationStore } from '../../lambdas/ports/verification-store';
import { OtpService, type OtpVerifyResult } from '../../lambdas/service/otp-service';
import { ShieldService } from '../../lambdas/service/shield-service';
import type { ResolvedTenant } from '../../lambdas/service/tenant-directory';
import { createTestTables, startDynalite, uniqueId } from '../support/dynamo';
import { T0, hasher, policy, testGeo } from '../support/engine';
import { quiet } from '../support/joint-defense';

const endpoint = inject('dynamoEndpoint');
const MAX_ATTEMPTS = 5;
const CONCURRENT = 40;
/** Where the right code sits among the concurrent guesses: well past the attempt limit. */
const RIGHT_AT = 11;

/** An OTP service whose pending codes live in `verifications`; every SMS it sends is captured. */
function otpWorld(verifications: VerificationStore) {
  const clock = new ManualClock(T0);
  const engine = new RiskEngine({ counters: new MemoryCounterStore(clock), lists: new MemoryListStore(), verifications, geo: testGeo, hasher, clock });
  const messages: string[] = [];
  const service = new ShieldService({
    engine,
    logger: quiet,
    sender: {
      send: async (sms) => {
        messages.push(sms.body);
        return { messageId: `m-${messages.length}` };
      },
    },
  });
  // Counts how many codes are checked: every check hashes the guess with the code's salt.
  let checks = 0;
  const countingHasher = (value: string) => {
    if (value.startsWith('otp:')) checks++;
    return hasher(value);
  };
  const otp = new OtpService(service, engine.ledger, countingHasher, { maxAttempts: MAX_ATTEMPTS });
  return { otp, messages, checks: () => checks - 1 /* the send hashed the code once */ };
}

/**
 * 40 verifications of one pending 4-digit code fired at once, the right code at position 12:
 * an attacker racing the attempt limit. Only `MAX_ATTEMPTS` of them may ever be compared.
 */
async function race(verifications: VerificationStore): Promise<{ results: OtpVerifyResult[]; compared: number }> {
  const { otp, messages, checks } = otpWorld(verifications);
  const id = uniqueId('shop');
  const tenant: ResolvedTenant = { tenant: { id, name: id, createdAt: 0, policy: {} }, policy: policy() };
  const phone = `+4474001${String(Math.floor(Math.random() * 90_000) + 10_000)}`;
  const sent = await otp.send(tenant, { phone, scenario: 'login', ip: '81.2.69.142', device: 'd-1', codeLength: 4, template: 'code {code}' });
  expect(sent.kind).toBe('sent');
  const code = /code (\d{4})/.exec(messages.at(-1) ?? '')?.[1] ?? '';
  const wrong = (i: number) => String((Number(code) + 1 + i) % 10_000).padStart(4, '0');
  const guesses = Array.from({ length: CONCURRENT }, (_, i) => (i === RIGHT_AT ? code : wrong(i)));
  const results = await Promise.all(guesses.map((guess) => otp.verify(tenant, { phone, code: guess })));
  return { results, compared: checks() };
}

function expectAtMostMaxCompared({ results, compared }: { results: readonly OtpVerifyResult[]; compared: number }): void {
  expect(compared, JSON.stringify(results)).toBeLessThanOrEqual(MAX_ATTEMPTS);
  const answered = results.filter((r) => r.verified || r.reason === 'WRONG_CODE');
  expect(answered.length).toBeLessThanOrEqual(MAX_ATTEMPTS);
  expect(results.filter((r) => r.verified).length).toBeLessThanOrEqual(1);
  // Every guess beyond the limit is refused without being looked at.
  for (const r of results) if (!r.verified && r.reason !== 'WRONG_CODE') expect(['TOO_MANY_ATTEMPTS', 'NO_PENDING_CODE']).toContain(r.reason);
}

function raceSuite(store: () => VerificationStore): void {
  it(`compares at most ${MAX_ATTEMPTS} of ${CONCURRENT} concurrent guesses, in each of 3 rounds`, async () => {
    for (let round = 0; round < 3; round++) expectAtMostMaxCompared(await race(store()));
  });
}

describe('OTP attempt limit under concurrent verifies: memory store', () => {
  raceSuite(() => new MemoryVerificationStore());
});

describe.skipIf(!endpoint)('OTP attempt limit under concurrent verifies: DynamoDB Local', () => {
  let tables: Awaited<ReturnType<typeof createTestTables>>;
  beforeAll(async () => {
    tables = await createTestTables(endpoint, 'otp-race');
  });
  afterAll(() => tables?.close());
  raceSuite(() => new DynamoVerificationStore(tables.client, tables.names.Verifications));
});

describe('OTP attempt limit under concurrent verifies: dynalite', () => {
  let dynalite: Awaited<ReturnType<typeof startDynalite>>;
  let tables: Awaited<ReturnType<typeof createTestTables>>;
  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTestTables(dynalite.endpoint, 'otp-race');
  });
  afterAll(async () => {
    tables?.close();
    await dynalite?.stop();
  });
  raceSuite(() => new DynamoVerificationStore(tables.client, tables.names.Verifications));
});
