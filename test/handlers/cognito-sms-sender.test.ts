import { randomBytes, randomInt } from 'node:crypto';
import { buildClient, CommitmentPolicy, RawAesKeyringNode, RawAesWrappingSuiteIdentifier } from '@aws-crypto/client-node';
import { beforeEach, describe, expect, it } from 'vitest';
import { codeDecryptor } from '../../lambdas/adapters/aws/cognito-code-decryptor';
import { solveChallenge } from '../../lambdas/challenge/solve';
import { METADATA_KEYS, SCENARIO_OF_SMS_TRIGGER, type SmsTriggerSource } from '../../lambdas/handlers/cognito-events';
import {
  CognitoSmsRefusal,
  createCognitoFeedback,
  createCognitoSmsSender,
  idempotencyKeyOf,
  readClaims,
  verificationRecorder,
} from '../../lambdas/handlers/cognito-sms-sender';
import type { PolicyOverrides } from '../../lambdas/domain/policy';
import { ManualClock } from '../../lambdas/ports/clock';
import type { OutgoingSms, SmsSender } from '../../lambdas/ports/sms-sender';
import { withClaimedAddresses } from '../../lambdas/service/claimed-address-lists';
import type { ServiceLogger, VerdictRecord } from '../../lambdas/service/shield-service';
import { BROWSER_UA, hasher, T0 } from '../support/engine';
import { memoryShield } from '../support/shield';

/*
 * The Cognito custom SMS sender and feedback triggers, end to end on in-memory stores, with real
 * AWS Encryption SDK ciphertexts (a raw AES keyring stands in for the pool's KMS key) and event
 * shapes as the Cognito developer guide documents them.
 */

const keyring = new RawAesKeyringNode({
  keyNamespace: 'sms-shield-test',
  keyName: 'cognito-sender',
  unencryptedMasterKey: randomBytes(32),
  wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
});
const { encrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);

/** What Cognito puts in `request.code`: base64 of an Encryption SDK message. */
async function cognitoCiphertext(code: string, ring = keyring): Promise<string> {
  const { result } = await encrypt(ring, code, { encryptionContext: { 'userpool-id': 'eu-west-2_Example' } });
  return result.toString('base64');
}

const PHONE = '+447400123456';
const NATIONAL = '7400123456';

/** A custom SMS sender event (V1_0) as the Cognito developer guide shows it. */
function smsEvent(
  triggerSource: SmsTriggerSource,
  code: string,
  over: { phone?: string | null; metadata?: Record<string, string> | null; userName?: string } = {},
) {
  const userAttributes: Record<string, string> = {
    sub: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    'cognito:user_status': 'UNCONFIRMED',
    phone_number_verified: 'false',
  };
  if (over.phone !== null) userAttributes.phone_number = over.phone ?? PHONE;
  return {
    version: '1',
    triggerSource,
    region: 'eu-west-2',
    userPoolId: 'eu-west-2_Example',
    userName: over.userName ?? 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '1example23456789' },
    request: {
      type: 'customSMSSenderRequestV1',
      code,
      clientMetadata: over.metadata === undefined ? { [METADATA_KEYS.ip]: '81.2.69.142', [METADATA_KEYS.userAgent]: BROWSER_UA } : over.metadata,
      userAttributes,
    },
    response: {},
  };
}

/** A post confirmation or post authentication event as the developer guide shows it. */
function feedbackEvent(triggerSource: string, verified = 'true') {
  return {
    version: '1',
    triggerSource,
    region: 'eu-west-2',
    userPoolId: 'eu-west-2_Example',
    userName: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '1example23456789' },
    request: {
      userAttributes: { sub: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111', phone_number: PHONE, phone_number_verified: verified },
      ...(triggerSource === 'PostAuthentication_Authentication' && { newDeviceUsed: false }),
    },
    response: {},
  };
}

class FakeSender implements SmsSender {
  readonly sent: OutgoingSms[] = [];
  async send(sms: OutgoingSms) {
    this.sent.push(sms);
    return { messageId: `m-${this.sent.length}` };
  }
}

/** Every log line, as the JSON a log group would get. */
class RecordingLogger implements ServiceLogger {
  readonly lines: string[] = [];
  info = (message: string, ...extra: Record<string, unknown>[]) => void this.lines.push(JSON.stringify({ message, extra }));
  warn = (message: string, ...extra: Record<string, unknown>[]) => void this.lines.push(JSON.stringify({ message, extra }));
  error = (message: string, ...extra: Record<string, unknown>[]) => void this.lines.push(JSON.stringify({ message, extra }));
}

function setup(opts: { policy?: PolicyOverrides; tenant?: boolean; plainLists?: boolean } = {}) {
  const clock = new ManualClock(T0);
  const sender = new FakeSender();
  const logger = new RecordingLogger();
  const verdicts: VerdictRecord[] = [];
  const { app, stores } = memoryShield(clock, (s) => ({
    lists: opts.plainLists ? s.lists : withClaimedAddresses(s.lists),
    sender,
    logger,
    events: s.events,
    idempotency: s.idempotency,
    manMachine: { secret: 'man-machine-secret-for-tests', replays: s.replays, levels: [2_000, 8_000] },
    onVerdict: (record) => verdicts.push(record),
  }));
  const created = stores.tenants.putTenant({ id: 'shop', name: 'Shop', createdAt: 0, policy: opts.policy ?? {} });
  const ready = opts.tenant === false ? Promise.resolve() : created;
  if (opts.tenant === false) void stores.tenants.putTenant({ id: 'other', name: 'Other', createdAt: 0, policy: {} });
  const send = createCognitoSmsSender({ service: app.service, tenants: stores.tenants, tenantId: 'shop', decrypt: codeDecryptor(keyring), logger, clock });
  const feedback = createCognitoFeedback({
    tenantId: 'shop',
    record: verificationRecorder({ verifications: stores.verifications, counters: stores.counters, events: stores.events, hasher, clock, logger }),
    logger,
  });
  return { app, stores, clock, sender, logger, verdicts, send, feedback, ready };
}

const newCode = () => String(randomInt(100_000, 1_000_000));

/** The refusal `send(event)` throws, or undefined when it sends. */
async function refusalOf(promise: Promise<void>): Promise<CognitoSmsRefusal | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(CognitoSmsRefusal);
    return error as CognitoSmsRefusal;
  }
}

describe('Cognito custom SMS sender', () => {
  let codes: string[];
  beforeEach(() => {
    codes = [];
  });
  const code = () => {
    const c = newCode();
    codes.push(c);
    return c;
  };
  const expectNoSecretsIn = (lines: string[]) => {
    const text = lines.join('\n');
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain(NATIONAL);
    for (const c of codes) expect(text).not.toContain(c);
  };

  it.each(Object.entries(SCENARIO_OF_SMS_TRIGGER))('judges %s as %s and sends the decrypted code once', async (trigger, scenario) => {
    const t = setup();
    await t.ready;
    const c = code();
    await t.send(smsEvent(trigger as SmsTriggerSource, await cognitoCiphertext(c)));
    expect(t.sender.sent).toHaveLength(1);
    expect(t.sender.sent[0]).toMatchObject({ tenant: 'shop', e164: PHONE });
    expect(t.sender.sent[0]!.body).toContain(c);
    expect(t.verdicts).toEqual([expect.objectContaining({ tenant: 'shop', scenario, sent: true, kind: 'send' })]);
    expectNoSecretsIn(t.logger.lines);
  });

  it('sends the code and the temporary password with their own templates', async () => {
    const t = setup();
    await t.ready;
    await t.send(smsEvent('CustomSMSSender_SignUp', await cognitoCiphertext('123456')));
    await t.send(smsEvent('CustomSMSSender_AdminCreateUser', await cognitoCiphertext('Tmp$&pw1!'), { phone: '+447500123456' }));
    expect(t.sender.sent.map((sms) => sms.body)).toEqual(['Your verification code is 123456', 'Your temporary password is Tmp$&pw1!']);
  });

  it('takes the templates it is given', async () => {
    const t = setup();
    await t.ready;
    const send = createCognitoSmsSender({
      service: t.app.service,
      tenants: t.stores.tenants,
      tenantId: 'shop',
      decrypt: codeDecryptor(keyring),
      logger: t.logger,
      clock: t.clock,
      templates: { code: '{code} is your Shop code' },
    });
    await send(smsEvent('CustomSMSSender_Authentication', await cognitoCiphertext('654321')));
    expect(t.sender.sent[0]!.body).toBe('654321 is your Shop code');
  });

  it('refuses a template without {code} when it is built', () => {
    const t = setup();
    expect(() =>
      createCognitoSmsSender({
        service: t.app.service,
        tenants: t.stores.tenants,
        tenantId: 'shop',
        decrypt: codeDecryptor(keyring),
        logger: t.logger,
        clock: t.clock,
        templates: { code: 'Hello' },
      }),
    ).toThrow(/code template must contain \{code\}/);
  });

  it('sends once when Cognito retries the same invocation', async () => {
    const t = setup();
    await t.ready;
    const event = smsEvent('CustomSMSSender_SignUp', await cognitoCiphertext(code()));
    await t.send(event);
    await t.send(structuredClone(event));
    expect(t.sender.sent).toHaveLength(1);
  });

  it('a new code is a new send (the idempotency key follows the ciphertext)', async () => {
    const a = smsEvent('CustomSMSSender_SignUp', await cognitoCiphertext('111111'));
    const b = smsEvent('CustomSMSSender_SignUp', await cognitoCiphertext('111111'));
    expect(idempotencyKeyOf(a)).not.toBe(idempotencyKeyOf(b));
    expect(idempotencyKeyOf(a)).toBe(idempotencyKeyOf(structuredClone(a)));
    expect(idempotencyKeyOf(a).length).toBeLessThanOrEqual(128);
  });

  it('asks for a challenge with a message the app can act on, sends nothing, and sends once the solution is passed', async () => {
    const t = setup({ policy: { scenarios: { register: { challengeAt: 0 } } } });
    await t.ready;
    const refusal = await refusalOf(t.send(smsEvent('CustomSMSSender_SignUp', await cognitoCiphertext(code()))));
    expect(refusal?.message).toBe(
      'SHIELD_CHALLENGE: Verification needed: solve the challenge and pass its solution as clientMetadata.shield_challenge, then ask for the code again.',
    );
    expect(t.sender.sent).toHaveLength(0);

    const solution = solveChallenge(await t.app.manMachine!.challenge({ tenant: 'shop' }))!.solution;
    const metadata = { [METADATA_KEYS.ip]: '81.2.69.142', [METADATA_KEYS.userAgent]: BROWSER_UA, [METADATA_KEYS.challenge]: solution };
    await t.send(smsEvent('CustomSMSSender_ResendCode', await cognitoCiphertext(code()), { metadata }));
    expect(t.sender.sent).toHaveLength(1);
    expectNoSecretsIn(t.logger.lines);
  });

  it('refuses a blocked number (SHIELD_BLOCKED) and sends nothing', async () => {
    const t = setup();
    await t.ready;
    await t.stores.lists.put({ scope: 't:shop', kind: 'number', value: hasher(PHONE), action: 'block', createdAt: 0 });
    const refusal = await refusalOf(t.send(smsEvent('CustomSMSSender_ForgotPassword', await cognitoCiphertext(code()))));
    expect(refusal?.code).toBe('SHIELD_BLOCKED');
    expect(refusal?.message).toBe('SHIELD_BLOCKED: A code cannot be sent to this phone number.');
    expect(t.sender.sent).toHaveLength(0);
    expectNoSecretsIn(t.logger.lines);
  });

  it('refuses a second code to the same number within the minute (SHIELD_RATE_LIMITED, with the wait)', async () => {
    const t = setup();
    await t.ready;
    await t.send(smsEvent('CustomSMSSender_SignUp', await cognitoCiphertext(code())));
    const refusal = await refusalOf(t.send(smsEvent('CustomSMSSender_ResendCode', await cognitoCiphertext(code()))));
    expect(refusal?.message).toMatch(/^SHIELD_RATE_LIMITED: Too many codes were requested\. Try again later\. \(retry after \d+ s\)$/);
    expect(t.sender.sent).toHaveLength(1);
  });

  it('sends whatever the verdict in shadow mode', async () => {
    const t = setup({ policy: { mode: 'shadow' } });
    await t.ready;
    await t.stores.lists.put({ scope: 't:shop', kind: 'number', value: hasher(PHONE), action: 'block', createdAt: 0 });
    await t.send(smsEvent('CustomSMSSender_SignUp', await cognitoCiphertext(code())));
    expect(t.sender.sent).toHaveLength(1);
  });

  it('refuses with SHIELD_SEND_FAILED when SNS does not take the SMS', async () => {
    const t = setup();
    await t.ready;
    t.sender.send = async () => {
      throw new Error(`Invalid parameter: PhoneNumber ${PHONE}`);
    };
    const refusal = await refusalOf(t.send(smsEvent('CustomSMSSender_SignUp', await cognitoCiphertext(code()))));
    expect(refusal?.code).toBe('SHIELD_SEND_FAILED');
    expectNoSecretsIn(t.logger.lines);
  });

  describe('refuses clearly, and sends nothing, for', () => {
    const invalid = async (event: unknown) => {
      const t = setup();
      await t.ready;
      const refusal = await refusalOf(t.send(event));
      expect(t.sender.sent).toHaveLength(0);
      expectNoSecretsIn(t.logger.lines);
      return refusal;
    };
    it.each([
      ['nothing', undefined],
      ['a string', 'CustomSMSSender_SignUp'],
      ['an unknown trigger source', { ...smsEvent('CustomSMSSender_SignUp', 'AYADeD'), triggerSource: 'CustomSMSSender_Unknown' }],
      [
        'another request type',
        {
          ...smsEvent('CustomSMSSender_SignUp', 'AYADeD'),
          request: { ...smsEvent('CustomSMSSender_SignUp', 'x').request, type: 'customEmailSenderRequestV1' },
        },
      ],
      ['an event without a code', { ...smsEvent('CustomSMSSender_SignUp', ''), request: { type: 'customSMSSenderRequestV1', userAttributes: {} } }],
      ['a post confirmation event', feedbackEvent('PostConfirmation_ConfirmSignUp')],
    ])('%s (SHIELD_INVALID_REQUEST)', async (_name, event) => {
      expect((await invalid(event))?.code).toBe('SHIELD_INVALID_REQUEST');
    });

    it('a user without a phone number (SHIELD_INVALID_REQUEST)', async () => {
      expect((await invalid(smsEvent('CustomSMSSender_SignUp', await cognitoCiphertext(code()), { phone: null })))?.code).toBe('SHIELD_INVALID_REQUEST');
    });

    it('a code encrypted with another key (SHIELD_UNAVAILABLE)', async () => {
      const other = new RawAesKeyringNode({
        keyNamespace: 'sms-shield-test',
        keyName: 'cognito-sender',
        unencryptedMasterKey: randomBytes(32),
        wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
      });
      expect((await invalid(smsEvent('CustomSMSSender_SignUp', await cognitoCiphertext(code(), other))))?.code).toBe('SHIELD_UNAVAILABLE');
    });

    it('a ciphertext that is not one (SHIELD_UNAVAILABLE)', async () => {
      expect((await invalid(smsEvent('CustomSMSSender_SignUp', 'bm90IGEgY2lwaGVydGV4dA==')))?.code).toBe('SHIELD_UNAVAILABLE');
    });
  });

  it('refuses with SHIELD_NOT_CONFIGURED while the tenant does not exist, and logs which one', async () => {
    const t = setup({ tenant: false });
    const clock = t.clock;
    const send = createCognitoSmsSender({
      service: t.app.service,
      tenants: t.stores.tenants,
      tenantId: 'missing',
      decrypt: codeDecryptor(keyring),
      logger: t.logger,
      clock,
    });
    const refusal = await refusalOf(send(smsEvent('CustomSMSSender_SignUp', await cognitoCiphertext(code()))));
    expect(refusal?.message).toBe('SHIELD_NOT_CONFIGURED: Codes cannot be sent: the SMS Shield tenant of this user pool does not exist.');
    expect(t.logger.lines.join('\n')).toContain('"tenant":"missing"');
    expect(t.sender.sent).toHaveLength(0);
  });

  it('refuses with SHIELD_UNAVAILABLE when the tenant cannot be read', async () => {
    const t = setup();
    await t.ready;
    t.stores.tenants.getTenant = async () => {
      throw new Error('ProvisionedThroughputExceededException');
    };
    const refusal = await refusalOf(t.send(smsEvent('CustomSMSSender_SignUp', await cognitoCiphertext(code()))));
    expect(refusal?.code).toBe('SHIELD_UNAVAILABLE');
  });

  it('never lets a claimed address meet an allow entry: the office address in clientMetadata does not skip the challenge', async () => {
    const policy: PolicyOverrides = { scenarios: { register: { challengeAt: 0 } } };
    const office = { scope: 't:shop', kind: 'ip' as const, value: '81.2.69.142', action: 'allow' as const, createdAt: 0 };
    // What the same allow entry does when the address is the caller's observation (the API's lists).
    const plain = setup({ policy, plainLists: true });
    await plain.ready;
    await plain.stores.lists.put(office);
    await plain.send(smsEvent('CustomSMSSender_SignUp', await cognitoCiphertext(code())));
    expect(plain.sender.sent).toHaveLength(1);

    const t = setup({ policy });
    await t.ready;
    await t.stores.lists.put(office);
    const refusal = await refusalOf(t.send(smsEvent('CustomSMSSender_SignUp', await cognitoCiphertext(code()))));
    expect(refusal?.code).toBe('SHIELD_CHALLENGE');
  });

  it('still lets a claimed address meet a block entry', async () => {
    const t = setup();
    await t.ready;
    await t.stores.lists.put({ scope: 't:shop', kind: 'ip', value: '81.2.69.142', action: 'block', createdAt: 0 });
    const refusal = await refusalOf(t.send(smsEvent('CustomSMSSender_SignUp', await cognitoCiphertext(code()))));
    expect(refusal?.code).toBe('SHIELD_BLOCKED');
  });

  it('judges without an address when clientMetadata has none, a private one or a malformed one', async () => {
    const cases: (Record<string, string> | null)[] = [null, {}, { [METADATA_KEYS.ip]: '10.1.2.3' }, { [METADATA_KEYS.ip]: 'not an address' }];
    for (const metadata of cases) {
      const t = setup();
      await t.ready;
      await t.send(smsEvent('CustomSMSSender_SignUp', await cognitoCiphertext(code()), { metadata }));
      expect(t.sender.sent).toHaveLength(1);
      expect(t.verdicts[0]!.verdict.reasons).toContain('IP_NOT_PUBLIC');
    }
  });
});

describe('readClaims', () => {
  it('keeps a public address, drops private, reserved and malformed ones (named in ignored)', () => {
    expect(readClaims({ shield_ip: ' 81.2.69.142 ' })).toEqual({ ip: '81.2.69.142', ignored: [] });
    expect(readClaims({ shield_ip: '2a00:1450:4009:81f::200e' }).ip).toBe('2a00:1450:4009:81f::200e');
    for (const ip of ['10.0.0.1', '192.168.1.1', '127.0.0.1', '::1', '::ffff:10.0.0.1', '203.0.113.9', 'fe80::1', 'nope', '1.2.3.4.5']) {
      expect(readClaims({ shield_ip: ip }), ip).toEqual({ ip: '', ignored: ['shield_ip'] });
    }
    expect(readClaims(undefined)).toEqual({ ip: '', ignored: [] });
    expect(readClaims(null)).toEqual({ ip: '', ignored: [] });
  });

  it('reads the user agent, device token and challenge, and ignores values longer than the API allows', () => {
    expect(readClaims({ shield_user_agent: 'ua', shield_device: 'sdt2.x', shield_challenge: 'c', other: 'kept out' })).toEqual({
      ip: '',
      userAgent: 'ua',
      device: 'sdt2.x',
      challenge: 'c',
      ignored: [],
    });
    expect(readClaims({ shield_user_agent: 'u'.repeat(1025), shield_device: 'd'.repeat(4097), shield_challenge: 'c'.repeat(8193) }).ignored).toEqual([
      'shield_user_agent',
      'shield_device',
      'shield_challenge',
    ]);
  });
});

describe('Cognito verification feedback', () => {
  it.each(['PostConfirmation_ConfirmSignUp', 'PostConfirmation_ConfirmForgotPassword', 'PostAuthentication_Authentication'])(
    '%s credits the code the shield sent, once, and returns the event as it came',
    async (trigger) => {
      const t = setup();
      await t.ready;
      await t.send(smsEvent('CustomSMSSender_SignUp', await cognitoCiphertext('123456')));
      const event = feedbackEvent(trigger);
      await expect(t.feedback(event)).resolves.toBe(event);
      expect(t.logger.lines.filter((line) => line.includes('Cognito verification reported'))).toEqual([expect.stringContaining('"credited":true')]);
      // The pending record is taken: the number now counts as verified, and a second report finds nothing.
      expect(await t.stores.verifications.get('shop', hasher(PHONE), Math.floor(T0 / 1000))).toBeUndefined();
      await t.feedback(feedbackEvent(trigger));
      expect(t.logger.lines.filter((line) => line.includes('Cognito verification reported')).at(-1)).toContain('"credited":false');
      expect(t.logger.lines.join('\n')).not.toContain(PHONE);
      expect(t.logger.lines.join('\n')).not.toContain('123456');
    },
  );

  it('does not credit an unverified number (a pending change proves nothing)', async () => {
    const t = setup();
    await t.ready;
    await t.send(smsEvent('CustomSMSSender_UpdateUserAttribute', await cognitoCiphertext('123456')));
    await t.feedback(feedbackEvent('PostAuthentication_Authentication', 'false'));
    expect(await t.stores.verifications.get('shop', hasher(PHONE), Math.floor(T0 / 1000))).toBeDefined();
  });

  it('never fails the user: a bad event or a store failure still returns the event', async () => {
    const t = setup();
    const bad = { triggerSource: 'PreSignUp_SignUp' };
    await expect(t.feedback(bad)).resolves.toBe(bad);
    const failing = createCognitoFeedback({
      tenantId: 'shop',
      record: async () => {
        throw new Error('ServiceUnavailable');
      },
      logger: t.logger,
    });
    const event = feedbackEvent('PostConfirmation_ConfirmSignUp');
    await expect(failing(event)).resolves.toBe(event);
    expect(t.logger.lines.at(-1)).toContain('Could not report a Cognito verification');
  });
});
