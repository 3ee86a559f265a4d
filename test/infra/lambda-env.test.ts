import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { EVENT_SHARDS, eventShardsFor } from '../../lambdas/adapters/dynamo/schema';
import { ENV, oneOfEnv, optionalPositiveIntegerEnv } from '../../lambdas/shared/env';
import type { SmsShieldProps } from '../../lib/sms-shield';
import { SmsShieldStack } from '../../lib/sms-shield-stack';

/** The API function's environment as the construct writes it. */
function apiEnvironment(maxListEntries?: number, shield: SmsShieldProps = {}): Record<string, unknown> {
  const env = { account: '123456789012', region: 'us-east-1' };
  const stack = new SmsShieldStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Env', { env, shield: { ...shield, maxListEntries } });
  const fn = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(stack.shield.apiFunction.node.defaultChild as never)];
  return fn.Properties.Environment.Variables as Record<string, unknown>;
}

describe('SMS_SHIELD_MAX_LIST_ENTRIES: construct and handler agree', () => {
  it('the handler reads back exactly the cap the construct sets', () => {
    for (const cap of [undefined, 1, 250, 100_000]) {
      const env = apiEnvironment(cap);
      expect(optionalPositiveIntegerEnv(ENV.MAX_LIST_ENTRIES, env as NodeJS.ProcessEnv)).toBe(cap ?? 5_000);
    }
  });

  it('is unset: the service default applies', () => {
    expect(optionalPositiveIntegerEnv(ENV.MAX_LIST_ENTRIES, {})).toBeUndefined();
    expect(optionalPositiveIntegerEnv(ENV.MAX_LIST_ENTRIES, { [ENV.MAX_LIST_ENTRIES]: '' })).toBeUndefined();
  });

  it.each(['0', '-5', '12.5', '1e3', ' 42', '42 ', '0x10', 'five', '9007199254740993'])('fails the cold start on %j, naming the variable', (raw) => {
    expect(() => optionalPositiveIntegerEnv(ENV.MAX_LIST_ENTRIES, { [ENV.MAX_LIST_ENTRIES]: raw })).toThrow(ENV.MAX_LIST_ENTRIES);
  });
});

describe('SMS_SHIELD_PUBLIC_EDGE_DIRECT_CALLS: construct and handler agree', () => {
  const read = (env: Record<string, unknown>) => oneOfEnv(ENV.PUBLIC_EDGE_DIRECT_CALLS, ['refuse', 'allow'], 'refuse', env as NodeJS.ProcessEnv);

  it('the handler reads back what the construct sets: refuse by default, allow for the move', () => {
    expect(read(apiEnvironment(undefined, { publicEdge: {} }))).toBe('refuse');
    expect(read(apiEnvironment(undefined, { publicEdge: { refuseDirectCalls: false } }))).toBe('allow');
    expect(read(apiEnvironment())).toBe('refuse');
  });

  it.each(['Allow', 'true', 'yes', ' refuse'])('fails the cold start on %j, naming the variable', (raw) => {
    expect(() => read({ [ENV.PUBLIC_EDGE_DIRECT_CALLS]: raw })).toThrow(ENV.PUBLIC_EDGE_DIRECT_CALLS);
  });
});

describe('SMS_SHIELD_EVENT_SHARDS: derived from the stated peak, the same for writer and reader', () => {
  function environments(shield: SmsShieldProps = {}) {
    const env = { account: '123456789012', region: 'us-east-1' };
    const stack = new SmsShieldStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Shards', { env, shield });
    const resources = Template.fromStack(stack).toJSON().Resources;
    const vars = (fn: unknown) => resources[stack.getLogicalId(fn as never)].Properties.Environment.Variables as NodeJS.ProcessEnv;
    return { api: vars(stack.shield.apiFunction.node.defaultChild), job: vars(stack.shield.jointDefenseFunction.node.defaultChild) };
  }

  it('no partition takes more than half of 1,000 writes a second at the peak (two events a verdict at most)', () => {
    expect([100, 250, 251, 1_000, 10_000, 25_000].map(eventShardsFor)).toEqual([1, 1, 2, 4, 40, 100]);
    for (const peak of [1, 499, 10_000, 123_457]) expect((2 * peak) / eventShardsFor(peak)).toBeLessThanOrEqual(500);
  });

  it('the API function (writer) and the job (reader) read back the same count: 40 by default', () => {
    for (const [peak, shards] of [
      [undefined, 40],
      [1_000, 4],
      [40_000, 160],
    ] as const) {
      const { api, job } = environments(peak === undefined ? {} : { peakVerdictsPerSecond: peak });
      expect(optionalPositiveIntegerEnv(ENV.EVENT_SHARDS, api)).toBe(shards);
      expect(optionalPositiveIntegerEnv(ENV.EVENT_SHARDS, job)).toBe(shards);
    }
  });

  it('every function that writes events (the integrations too) uses the count the job reads', () => {
    const env = { account: '123456789012', region: 'us-east-1' };
    const stack = new SmsShieldStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Writers', { env, shield: { peakVerdictsPerSecond: 2_000 } });
    stack.shield.addCognitoSmsSender('Cognito', { tenantId: 'app' });
    const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as {
      Properties: { Environment?: { Variables?: NodeJS.ProcessEnv } };
    }[];
    const writers = functions.map((f) => f.Properties.Environment?.Variables ?? {}).filter((vars) => vars[ENV.EVENTS_TABLE] !== undefined);
    expect(writers.length).toBeGreaterThanOrEqual(4);
    for (const vars of writers) expect(optionalPositiveIntegerEnv(ENV.EVENT_SHARDS, vars)).toBe(eventShardsFor(2_000));
  });

  it('unset (local mode, tests): the adapter default', () => {
    expect(optionalPositiveIntegerEnv(ENV.EVENT_SHARDS, {})).toBeUndefined();
    expect(EVENT_SHARDS).toBe(4);
  });
});
