import { Token } from 'aws-cdk-lib';
import { monitoringOptionErrors } from './monitoring-options.js';
import type { SmsShieldProps, SmsShieldThrottle } from './sms-shield-props.js';
import { EDGE_RATE_LIMIT_RANGE, type SmsShieldPublicEdgeOptions } from './sms-shield-public-edge.js';

/** An SNS sender id: 1–11 letters or digits, at least one letter. */
const SENDER_ID_PATTERN = /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/;
/** The highest list cap: every add counts the scope's live entries first. */
const MAX_LIST_ENTRIES_CEILING = 100_000;
/** The highest stated peak: 4,000 event partitions a minute, read by every job run. */
const PEAK_VERDICTS_CEILING = 1_000_000;

/**
 * Checks every prop and throws once, listing every mistake (so a synth names them all, not the
 * first). Values that are unresolved tokens (e.g. a CfnParameter) are left to CloudFormation.
 */
export function validateProps(props: SmsShieldProps, region: string): void {
  const errors: string[] = [];
  if (props.publicEdge !== undefined) errors.push(...publicEdgeErrors(props.publicEdge, region));
  const { defaultMode } = props;
  if (defaultMode !== undefined && !Token.isUnresolved(defaultMode) && defaultMode !== 'enforce' && defaultMode !== 'shadow') {
    errors.push(`SmsShieldProps.defaultMode must be 'enforce' or 'shadow', got '${String(defaultMode)}'`);
  }
  if (props.senderId !== undefined && !Token.isUnresolved(props.senderId) && !SENDER_ID_PATTERN.test(props.senderId)) {
    errors.push(`SmsShieldProps.senderId must be 1–11 letters or digits with at least one letter, got '${props.senderId}'`);
  }
  if (props.throttle !== undefined) errors.push(...throttleErrors('throttle', props.throttle));
  if (props.publicRouteThrottle !== undefined) errors.push(...throttleErrors('publicRouteThrottle', props.publicRouteThrottle));
  if (props.jointDefenseSchedule !== undefined && !props.jointDefenseSchedule.isUnresolved()) {
    const minutes = props.jointDefenseSchedule.toSeconds() / 60;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) {
      errors.push(`SmsShieldProps.jointDefenseSchedule must be whole minutes from 1 to 60, got ${props.jointDefenseSchedule.toHumanString()}`);
    }
  }
  const { memorySize } = props;
  if (memorySize !== undefined && !Token.isUnresolved(memorySize) && (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240)) {
    errors.push(`SmsShieldProps.memorySize must be an integer between 128 and 10240 MiB, got ${memorySize}`);
  }
  const { reservedConcurrency } = props;
  if (reservedConcurrency !== undefined && !Token.isUnresolved(reservedConcurrency) && (!Number.isInteger(reservedConcurrency) || reservedConcurrency < 1)) {
    errors.push(`SmsShieldProps.reservedConcurrency must be a positive integer (0 would stop the API), got ${reservedConcurrency}`);
  }
  const { maxListEntries } = props;
  if (
    maxListEntries !== undefined &&
    !Token.isUnresolved(maxListEntries) &&
    (!Number.isInteger(maxListEntries) || maxListEntries < 1 || maxListEntries > MAX_LIST_ENTRIES_CEILING)
  ) {
    errors.push(`SmsShieldProps.maxListEntries must be an integer from 1 to ${MAX_LIST_ENTRIES_CEILING}, got ${maxListEntries}`);
  }
  const { peakVerdictsPerSecond: peak } = props;
  if (peak !== undefined && Token.isUnresolved(peak)) {
    errors.push('SmsShieldProps.peakVerdictsPerSecond must be a number known at synth time: the partitions of the Events table are derived from it');
  } else if (peak !== undefined && (!Number.isInteger(peak) || peak < 1 || peak > PEAK_VERDICTS_CEILING)) {
    errors.push(`SmsShieldProps.peakVerdictsPerSecond must be an integer from 1 to ${PEAK_VERDICTS_CEILING}, got ${peak}`);
  }
  const { adminKeyGeneration } = props;
  if (adminKeyGeneration !== undefined && !Token.isUnresolved(adminKeyGeneration) && !(Number.isSafeInteger(adminKeyGeneration) && adminKeyGeneration >= 1)) {
    errors.push(`SmsShieldProps.adminKeyGeneration must be a positive integer, got ${adminKeyGeneration}`);
  }
  if (props.monitoring !== undefined) errors.push(...monitoringOptionErrors(props.monitoring, 'SmsShieldProps.monitoring'));
  if (errors.length === 1) throw new Error(errors[0]);
  if (errors.length > 1) throw new Error(`Invalid SmsShieldProps:\n- ${errors.join('\n- ')}`);
}

/** Mistakes in a throttle prop: rate and burst positive integers, burst at least the rate. */
function throttleErrors(name: string, throttle: SmsShieldThrottle): string[] {
  const errors: string[] = [];
  const { rateLimit, burstLimit } = throttle;
  const known = (n: number) => !Token.isUnresolved(n);
  if (known(rateLimit) && (!Number.isInteger(rateLimit) || rateLimit <= 0)) {
    errors.push(`SmsShieldProps.${name}.rateLimit must be a positive integer, got ${rateLimit}`);
  }
  if (known(burstLimit) && (!Number.isInteger(burstLimit) || burstLimit <= 0)) {
    errors.push(`SmsShieldProps.${name}.burstLimit must be a positive integer, got ${burstLimit}`);
  } else if (known(rateLimit) && known(burstLimit) && burstLimit < rateLimit) {
    errors.push(`SmsShieldProps.${name}.burstLimit (${burstLimit}) must be at least ${name}.rateLimit (${rateLimit})`);
  }
  return errors;
}

/** ARN of a web ACL CloudFront can use: WAFv2, us-east-1, scope CLOUDFRONT ("global"). */
const CLOUDFRONT_WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:us-east-1:[0-9]{12}:global\/webacl\/[A-Za-z0-9_-]{1,128}\/[0-9a-f-]{36}$/;

/** Mistakes in the public edge settings, given the stack's region (a token when environment-agnostic). */
function publicEdgeErrors(edge: SmsShieldPublicEdgeOptions, region: string): string[] {
  const errors: string[] = [];
  const { webAclArn, rateLimitPer5Minutes: limit, ipReputationRule } = edge;
  if (webAclArn === undefined) {
    if (Token.isUnresolved(region) || region !== 'us-east-1') {
      const where = Token.isUnresolved(region) ? 'this stack has no region (it is environment-agnostic)' : `this stack is in ${region}`;
      errors.push(
        'SmsShieldProps.publicEdge.webAclArn is required: AWS WAF web ACLs for CloudFront (scope CLOUDFRONT) exist only ' +
          `in us-east-1 and ${where}. Create the web ACL in us-east-1 (e.g. in a stack of its own) and pass its ARN, or ` +
          "deploy this stack with env: { region: 'us-east-1' } to have it created here.",
      );
    }
    const [min, max] = EDGE_RATE_LIMIT_RANGE;
    if (limit !== undefined && !Token.isUnresolved(limit) && (!Number.isInteger(limit) || limit < min || limit > max)) {
      errors.push(`SmsShieldProps.publicEdge.rateLimitPer5Minutes must be an integer from ${min} to ${max}, got ${limit}`);
    }
  } else {
    if (!Token.isUnresolved(webAclArn) && !CLOUDFRONT_WEB_ACL_ARN.test(webAclArn)) {
      errors.push(
        'SmsShieldProps.publicEdge.webAclArn must be the ARN of a WAFv2 web ACL of scope CLOUDFRONT ' +
          `(arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>), got '${webAclArn}'`,
      );
    }
    for (const [name, value] of [
      ['rateLimitPer5Minutes', limit],
      ['ipReputationRule', ipReputationRule],
    ] as const) {
      if (value !== undefined) {
        errors.push(`SmsShieldProps.publicEdge.${name} applies only to the web ACL the construct creates; with webAclArn, set your own ACL's rules instead`);
      }
    }
  }
  return errors;
}
