import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { eventsPerMinuteFor, JOB_MEMORY_MIB, jobMemoryFor, PARTIAL_BYTES_PER_EVENT } from '../../lambdas/shared/job-sizing';
import type { SmsShieldProps } from '../../lib/sms-shield';
import { SmsShieldStack } from '../../lib/sms-shield-stack';

/** The joint-defense job's memory as the construct sets it for `shield`. */
function jobMemory(shield: SmsShieldProps): number {
  const stack = new SmsShieldStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'JobMemory', { shield });
  const resources = Template.fromStack(stack).toJSON().Resources;
  return resources[stack.getLogicalId(stack.shield.jointDefenseFunction.node.defaultChild as never)].Properties.MemorySize as number;
}

describe('joint-defense job memory, sized from the stated peak', () => {
  it('holds an hour of partials at the peak with a third of headroom, in whole 64 MiB steps', () => {
    for (const peak of [50, 100, 300]) {
      const { mib, fits } = jobMemoryFor(peak);
      expect(fits).toBe(true);
      expect(mib % 64).toBe(0);
      expect(mib * 2 ** 20).toBeGreaterThanOrEqual(peak * 2 * 3_600 * PARTIAL_BYTES_PER_EVENT * (4 / 3));
    }
  });

  it("never under Lambda's floor, never over its largest function, and says when an hour at the peak does not fit", () => {
    expect(jobMemoryFor(1)).toEqual({ mib: JOB_MEMORY_MIB.min, fits: true });
    expect(jobMemoryFor(10_000)).toEqual({ mib: JOB_MEMORY_MIB.max, fits: false });
  });

  it('folds every event of a deployment at its peak, and past what its memory holds drops evidence rather than memory', () => {
    for (const peak of [1, 50, 300, 2_000]) {
      const { mib, fits } = jobMemoryFor(peak);
      expect(fits).toBe(true);
      // Two events a verdict, a minute of them.
      expect(eventsPerMinuteFor(mib)).toBeGreaterThanOrEqual(peak * 2 * 60);
      // An hour at the cap fits the memory with the sizing's headroom.
      expect(eventsPerMinuteFor(mib) * 60 * PARTIAL_BYTES_PER_EVENT * (4 / 3)).toBeLessThanOrEqual(mib * 2 ** 20);
    }
    expect(eventsPerMinuteFor(JOB_MEMORY_MIB.max)).toBeLessThan(1_000_000);
    expect(eventsPerMinuteFor(1_000_000)).toBe(1_000_000);
    expect(() => eventsPerMinuteFor(0)).toThrow(/positive/);
  });

  it('the construct gives the job what the peak needs', () => {
    expect(jobMemory({ peakVerdictsPerSecond: 20 })).toBe(512);
    expect(jobMemory({ peakVerdictsPerSecond: 200 })).toBe(jobMemoryFor(200).mib);
    expect(jobMemory({})).toBe(10_240);
  });
});
