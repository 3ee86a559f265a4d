/**
 * Lambda entry point of the joint-defense job, invoked by an EventBridge schedule (every minute
 * by default): fold each closed minute of verdict events once into its partial (kept in the
 * Events table), promote shared reputation from the window's partials. It needs only the Events
 * table (Query; PutItem of partials) and the Lists table (BatchGetItem, PutItem): events already
 * carry hashed identifiers, so no secret is read. A failed run throws, which the alarm counts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { DynamoEventStore } from '../adapters/dynamo/dynamo-event-store';
import { DynamoListStore } from '../adapters/dynamo/dynamo-list-store';
import { DynamoPartialStore } from '../adapters/dynamo/dynamo-partial-store';
import { runJointDefense, type JointDefenseReport } from '../joint-defense/job';
import { partialCodec } from '../joint-defense/partial-codec';
import { ENV, optionalPositiveIntegerEnv, requireEnv } from '../shared/env';
import { eventsPerMinuteFor, JOB_MEMORY_MIB } from '../shared/job-sizing';
import { recordJobMetrics } from './job-metrics';
import { logger, metrics } from '../shared/observability';

const dynamo = new DynamoDBClient({ maxAttempts: 3 });
const deps = {
  // The same partitions per minute as the API function writes (both set from the stated peak).
  events: new DynamoEventStore(dynamo, requireEnv(ENV.EVENTS_TABLE), { shards: optionalPositiveIntegerEnv(ENV.EVENT_SHARDS) }),
  lists: new DynamoListStore(dynamo, requireEnv(ENV.LISTS_TABLE)),
  partials: new DynamoPartialStore(dynamo, requireEnv(ENV.EVENTS_TABLE), partialCodec),
  // An event is written within its request (the API function times out after 10 s): a minute
  // closed for a minute has all of its events, and is folded once.
  foldLagMs: 60_000,
  // As many events a minute as the function's memory holds an hour of: past it the job drops
  // evidence (an alarm) rather than run out of memory. Lambda sets the variable.
  maxEventsPerMinute: eventsPerMinuteFor(optionalPositiveIntegerEnv('AWS_LAMBDA_FUNCTION_MEMORY_SIZE') ?? JOB_MEMORY_MIB.min),
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
