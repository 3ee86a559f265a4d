/**
 * Lambda entry point for the HTTP API: the composition root on AWS (`awsShieldPorts`). Real
 * adapters are built once per container at module load; configuration missing here fails the
 * cold start loudly.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { ENV, oneOfEnv, optionalPositiveIntegerEnv } from '../shared/env';
import { logger, metrics } from '../shared/observability';
import { awsShieldPorts } from './aws-ports';
import { composeShield } from './compose';
import { guardPublicOrigin } from './public-routes';
import { recordVerdictMetrics } from './verdict-metrics';

// Set only when the construct puts the public edge (CloudFront + WAF) in front of the public routes.
const originSecretArn = process.env[ENV.ORIGIN_SECRET_ARN] || undefined;
const directCalls = oneOfEnv(ENV.PUBLIC_EDGE_DIRECT_CALLS, ['refuse', 'allow'], 'refuse');
// Set by the construct (prop maxListEntries); unset: the service default. Not a positive integer: the cold start fails.
const maxListEntries = optionalPositiveIntegerEnv(ENV.MAX_LIST_ENTRIES);

const aws = await awsShieldPorts();
const originSecret = originSecretArn ? await aws.readSecret(originSecretArn) : undefined;

const app = composeShield({
  ...aws.ports,
  maxListEntries,
  onVerdict: (record) => recordVerdictMetrics(metrics, record, requestStartedAt === undefined ? undefined : performance.now() - requestStartedAt),
});

// One request at a time per Lambda container: a module-level start time is safe here.
let requestStartedAt: number | undefined;
const startTimer = { before: () => void (requestStartedAt = performance.now()) };

// With the public edge on, the public routes answer only CloudFront (origin secret) and count the viewer it reports.
const guarded = guardPublicOrigin(app.handler, { secret: originSecret, allowDirect: directCalls === 'allow', logger });

export const handler = middy(guarded).use(injectLambdaContext(logger)).use(logMetrics(metrics)).use(startTimer);
