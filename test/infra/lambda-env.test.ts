import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
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
