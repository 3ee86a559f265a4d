/**
 * Lambda entry point of a user pool's post confirmation and post authentication triggers: a code
 * the Cognito sender sent worked, so credit its verification (conversion signals). It needs the
 * hashing key, the Verifications table (the pending record is taken), the Counters table (the
 * credits) and the Events table (verify events): nothing that sends, nothing of the lists.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { DynamoCounterStore } from '../adapters/dynamo/dynamo-counter-store';
import { DynamoEventStore } from '../adapters/dynamo/dynamo-event-store';
import { DynamoVerificationStore } from '../adapters/dynamo/dynamo-verification-store';
import { createHasher } from '../engine/hasher';
import { systemClock } from '../ports/clock';
import { ENV, requireEnv } from '../shared/env';
import { logger } from '../shared/observability';
import { createCognitoFeedback, verificationRecorder } from './cognito-sms-sender';
import { storeClientConfig } from './compose';

const tenantId = requireEnv(ENV.COGNITO_TENANT_ID);
const secretArn = requireEnv(ENV.HASH_SECRET_ARN);
const dynamo = new DynamoDBClient(storeClientConfig());
const { SecretString: hashSecret } = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretArn }));
if (!hashSecret) throw new Error(`Secret ${secretArn} has no string value`);

const feedback = createCognitoFeedback({
  tenantId,
  record: verificationRecorder({
    verifications: new DynamoVerificationStore(dynamo, requireEnv(ENV.VERIFICATIONS_TABLE)),
    counters: new DynamoCounterStore(dynamo, requireEnv(ENV.COUNTERS_TABLE)),
    events: new DynamoEventStore(dynamo, requireEnv(ENV.EVENTS_TABLE)),
    hasher: createHasher(hashSecret),
    clock: systemClock,
    logger,
  }),
  logger,
});

export const handler = middy(feedback).use(injectLambdaContext(logger));
