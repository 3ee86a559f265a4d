/**
 * Lambda entry point of the joint-defense job, invoked by an EventBridge schedule (every minute
 * by default): read the last window of verdict events, promote shared reputation. It needs
 * only the Events table (Query) and the Lists table (BatchGetItem, PutItem): events already
 * carry hashed identifiers, so no secret is read. A failed run throws, which the alarm counts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { DynamoEventStore } from '../adapters/dynamo/dynamo-event-store';
import { DynamoListStore } from '../adapters/dynamo/dynamo-list-store';
import { runJointDefense, type JointDefenseReport } from '../joint-defense/job';
import { ENV, optionalPositiveIntegerEnv, requireEnv } from '../shared/env';
import { recordJobMetrics } from './job-metrics';
import { logger, metrics } from '../shared/observability';

const dynamo = new DynamoDBClient({ maxAttempts: 3 });
const deps = {
  // The same partitions per minute as the API function writes (both set from the stated peak).
  events: new DynamoEventStore(dynamo, requireEnv(ENV.EVENTS_TABLE), { shards: optionalPositiveIntegerEnv(ENV.EVENT_SHARDS) }),
  lists: new DynamoListStore(dynamo, requireEnv(ENV.LISTS_TABLE)),
};

export async function runJob(nowMs = Date.now()): Promise<JointDefenseReport> {
  const report = await runJointDefense(deps, nowMs);
  logger.info('joint defense', { ...report });
  recordJobMetrics(metrics, report);
  return report;
}

export const handler = middy(() => runJob())
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
