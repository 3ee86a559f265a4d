/**
 * Drop-in for existing SNS code: a middleware for an `SNSClient` (`@aws-sdk/client-sns`) that
 * sends every `PublishCommand` addressed to a `PhoneNumber` through SMS Shield
 * (`POST /v1/sms/send`) instead of SNS, and leaves topic and endpoint publishes
 * (`TopicArn`, `TargetArn`) and every other command untouched.
 *
 * ```ts
 * const sns = withSmsShield(new SNSClient({}), {
 *   shield: new ShieldClient({ baseUrl: SHIELD_URL, apiKey: SHIELD_KEY }),
 *   context: () => requestContext.getStore(), // { scenario, ip, userAgent, device, challenge }
 * });
 * await sns.send(new PublishCommand({ PhoneNumber: phone, Message: text })); // through the shield
 * ```
 *
 * The end user's context comes from the `context` hook, or per publish from message attributes
 * (`SmsShield.Scenario`, `SmsShield.Ip`, `SmsShield.UserAgent`, `SmsShield.Device`,
 * `SmsShield.Challenge`, `SmsShield.Account`, `SmsShield.Country`; String values); attributes win
 * over the hook. A publish the shield refuses throws `ShieldBlockedError` (verdict, reasons,
 * `retryAfterSeconds`); one whose outcome is unknown (504, a timeout, a dropped connection: the
 * SMS may have been sent) throws `ShieldOutcomeUnknownError`, which a retry loop must not treat
 * as "not sent"; an allowed one resolves with the shield's `MessageId`. Only types come from
 * `@aws-sdk/client-sns`: this module loads without it.
 */
import type { MessageAttributeValue, PublishCommandInput, PublishCommandOutput, SNSClient } from '@aws-sdk/client-sns';
import type { ShieldClient } from './client.js';
import { ShieldClientError } from './errors.js';
import type { AttemptInput, Scenario } from './types.js';

/** The end user's context for one publish; `scenario` and `ip` are required in the end. */
export type ShieldPublishContext = Partial<Omit<AttemptInput, 'phone'>>;

export interface SmsShieldMiddlewareOptions {
  /** The client that talks to the shield. */
  readonly shield: ShieldClient;
  /** Context of the publish being made (e.g. from an AsyncLocalStorage per request). */
  readonly context?: (input: PublishCommandInput) => ShieldPublishContext | undefined;
  /** Scenario when neither the hook nor the attributes name one. @default none: the publish fails */
  readonly defaultScenario?: Scenario;
}

/** Message attribute names the middleware reads (and removes: they are not for SNS). */
export const SHIELD_ATTRIBUTES = {
  scenario: 'SmsShield.Scenario',
  ip: 'SmsShield.Ip',
  userAgent: 'SmsShield.UserAgent',
  device: 'SmsShield.Device',
  challenge: 'SmsShield.Challenge',
  account: 'SmsShield.Account',
  country: 'SmsShield.Country',
} as const satisfies Record<string, string>;

export const SMS_SHIELD_MIDDLEWARE_NAME = 'smsShieldMiddleware';

/** Raised before any request when a phone publish lacks the context the shield needs. */
export class ShieldContextError extends ShieldClientError {
  override readonly name = 'ShieldContextError';
  constructor(message: string) {
    super('MISSING_CONTEXT', message);
  }
}

function attribute(attrs: Record<string, MessageAttributeValue> | undefined, name: string): string | undefined {
  return attrs?.[name]?.StringValue || undefined;
}

/** Build the shield request for a phone publish. */
export function toShieldRequest(input: PublishCommandInput, options: Omit<SmsShieldMiddlewareOptions, 'shield'>) {
  const hook = options.context?.(input) ?? {};
  const attrs = input.MessageAttributes;
  const pick = <K extends keyof typeof SHIELD_ATTRIBUTES>(key: K) => attribute(attrs, SHIELD_ATTRIBUTES[key]) ?? hook[key];
  const scenario = (pick('scenario') ?? options.defaultScenario) as Scenario | undefined;
  const ip = pick('ip');
  if (!scenario || !ip) {
    throw new ShieldContextError(
      `SMS Shield needs the end user's ${!scenario ? 'scenario' : 'IP address'}: pass it with the context hook or the ${!scenario ? SHIELD_ATTRIBUTES.scenario : SHIELD_ATTRIBUTES.ip} message attribute`,
    );
  }
  const request = {
    phone: input.PhoneNumber ?? '',
    message: input.Message ?? '',
    scenario,
    ip,
    userAgent: pick('userAgent'),
    device: pick('device'),
    challenge: pick('challenge'),
    account: pick('account'),
    country: pick('country'),
    idempotencyKey: hook.idempotencyKey,
  };
  // Drop absent fields: the API rejects nothing extra, but undefined keys are noise.
  return Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined)) as typeof request;
}

/**
 * Add the shield middleware to an `SNSClient` (in place) and return it. Phone publishes never
 * reach SNS from this client: the shield sends them after a clean verdict.
 */
export function withSmsShield<C extends SNSClient>(client: C, options: SmsShieldMiddlewareOptions): C {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as PublishCommandInput;
      const isPhonePublish = context.commandName === 'PublishCommand' && !!input.PhoneNumber && !input.TopicArn && !input.TargetArn;
      if (!isPhonePublish) return next(args);
      const sent = await options.shield.send(toShieldRequest(input, options));
      const output: PublishCommandOutput = { MessageId: sent.messageId, $metadata: {} };
      return { output: output as never, response: {} };
    },
    { step: 'initialize', name: SMS_SHIELD_MIDDLEWARE_NAME, tags: ['SMS_SHIELD'] },
  );
  return client;
}
