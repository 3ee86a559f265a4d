import { App, type CfnElement, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../lambdas/shared/env';
import { SmsShield, type SmsShieldProps } from '../../lib/sms-shield';
import { synth } from './support/shield-template';

describe('prop validation', () => {
  it.each<[string, SmsShieldProps, RegExp]>([
    ['zero rateLimit', { throttle: { rateLimit: 0, burstLimit: 10 } }, /throttle\.rateLimit/],
    ['fractional rateLimit', { throttle: { rateLimit: 1.5, burstLimit: 10 } }, /throttle\.rateLimit/],
    ['negative burstLimit', { throttle: { rateLimit: 10, burstLimit: -1 } }, /throttle\.burstLimit/],
    ['burst below rate', { throttle: { rateLimit: 100, burstLimit: 50 } }, /throttle\.burstLimit.*throttle\.rateLimit/],
    ['memory too small', { memorySize: 64 }, /memorySize/],
    ['memory not an integer', { memorySize: 1000.5 }, /memorySize/],
    ['unknown mode', { defaultMode: 'block' as 'enforce' }, /defaultMode/],
    ['sender id too long', { senderId: 'TwelveChars1' }, /senderId/],
    ['sender id without a letter', { senderId: '12345' }, /senderId/],
    ['sender id with a space', { senderId: 'Acme Co' }, /senderId/],
    ['a schedule under a minute', { jointDefenseSchedule: Duration.seconds(30) }, /jointDefenseSchedule/],
    ['a schedule in part minutes', { jointDefenseSchedule: Duration.seconds(90) }, /jointDefenseSchedule/],
    ['a schedule over an hour', { jointDefenseSchedule: Duration.hours(2) }, /jointDefenseSchedule/],
    ['a public route rate of zero', { publicRouteThrottle: { rateLimit: 0, burstLimit: 10 } }, /publicRouteThrottle\.rateLimit/],
    [
      'a public route burst below its rate',
      { publicRouteThrottle: { rateLimit: 30, burstLimit: 20 } },
      /publicRouteThrottle\.burstLimit.*publicRouteThrottle\.rateLimit/,
    ],
    ['a fractional public route burst', { publicRouteThrottle: { rateLimit: 3, burstLimit: 4.5 } }, /publicRouteThrottle\.burstLimit/],
    ['a list cap of zero', { maxListEntries: 0 }, /maxListEntries/],
    ['a fractional list cap', { maxListEntries: 12.5 }, /maxListEntries/],
    ['a list cap over 100,000', { maxListEntries: 100_001 }, /maxListEntries/],
    ['a peak of zero', { peakVerdictsPerSecond: 0 }, /peakVerdictsPerSecond/],
    ['a fractional peak', { peakVerdictsPerSecond: 99.5 }, /peakVerdictsPerSecond/],
    ['a peak over 1,000,000', { peakVerdictsPerSecond: 1_000_001 }, /peakVerdictsPerSecond/],
    [
      'a reserved concurrency of zero (a stopped API)',
      { reservedConcurrency: 0 },
      /reservedConcurrency must be a positive integer \(0 would stop the API\), got 0/,
    ],
    ['a fractional reserved concurrency', { reservedConcurrency: 2.5 }, /reservedConcurrency/],
    ['a negative reserved concurrency', { reservedConcurrency: -1 }, /reservedConcurrency/],
  ])('rejects %s', (_name, props, message) => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Invalid');
    expect(() => new SmsShield(stack, 'Shield', props)).toThrow(message);
  });

  it('accepts burst equal to rate', () => {
    expect(() => synth({ throttle: { rateLimit: 10, burstLimit: 10 } })).not.toThrow();
  });

  it('names every mistake in one error, not only the first', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Invalid');
    const message = (() => {
      try {
        new SmsShield(stack, 'Shield', { throttle: { rateLimit: 0, burstLimit: 10 }, memorySize: 64, senderId: '12345' });
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    for (const prop of ['throttle.rateLimit', 'memorySize', 'senderId']) expect(message).toContain(`SmsShieldProps.${prop}`);
  });

  it('leaves values CloudFormation resolves (parameters) to CloudFormation', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Tokens');
    const rate = new CfnParameter(stack, 'Rate', { type: 'Number' }).valueAsNumber;
    const memory = new CfnParameter(stack, 'Memory', { type: 'Number' }).valueAsNumber;
    const cap = new CfnParameter(stack, 'Cap', { type: 'Number' }).valueAsNumber;
    const shield = new SmsShield(stack, 'Shield', { throttle: { rateLimit: rate, burstLimit: 10 }, memorySize: memory, maxListEntries: cap });
    const fn = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(shield.apiFunction.node.defaultChild as CfnElement)];
    expect(fn.Properties.Environment.Variables[ENV.MAX_LIST_ENTRIES]).toEqual({ Ref: 'Cap' });
  });

  it('leaves a mode from a parameter to CloudFormation', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Tokens');
    const mode = new CfnParameter(stack, 'Mode', { allowedValues: ['enforce', 'shadow'] }).valueAsString as 'enforce';
    const shield = new SmsShield(stack, 'Shield', { defaultMode: mode });
    const fn = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(shield.apiFunction.node.defaultChild as CfnElement)];
    expect(fn.Properties.Environment.Variables[ENV.DEFAULT_MODE]).toEqual({ Ref: 'Mode' });
  });

  it('names monitoring mistakes in the same one error, before anything is built', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Invalid');
    const props: SmsShieldProps = { memorySize: 64, monitoring: { blockRateAlarmPercent: 150, blockRateMinVerdicts: 0.5 } };
    expect(() => new SmsShield(stack, 'Shield', props)).toThrow(
      [
        'Invalid SmsShieldProps:',
        '- SmsShieldProps.memorySize must be an integer between 128 and 10240 MiB, got 64',
        '- SmsShieldProps.monitoring.blockRateAlarmPercent must be in (0, 100], got 150',
        '- SmsShieldProps.monitoring.blockRateMinVerdicts must be a positive integer, got 0.5',
      ].join('\n'),
    );
    expect(stack.node.findAll().filter((c) => c.node.path.startsWith('Invalid/Shield/'))).toEqual([]);
  });

  it('refuses a monitoring threshold from a parameter: it is written into alarm text', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Tokens');
    const spend = new CfnParameter(stack, 'Spend', { type: 'Number' }).valueAsNumber;
    expect(() => new SmsShield(stack, 'Shield', { monitoring: { spendAlarmUsdPerHour: spend } })).toThrow(
      'SmsShieldProps.monitoring.spendAlarmUsdPerHour must be a number known at synth time, got a token',
    );
  });
});
