/**
 * Lambda entry point of a user pool's post confirmation and post authentication triggers: a code
 * the Cognito sender sent worked, so credit its verification (conversion signals). It needs the
 * hashing key, the Verifications table (the pending record is taken), the Counters table (the
 * credits) and the Events table (verify events): nothing that sends, nothing of the lists.
 *
 * Cognito fails the user's sign-up or sign-in when this trigger fails, so nothing here may: the
 * key is read on the first call, not at the cold start, and a failure to read it only skips the
 * report (the next call tries again).
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
import { ENV, optionalPositiveIntegerEnv, requireEnv } from '../shared/env';
import { logger } from '../shared/observability';
import { createCognitoFeedback, type RecordVerification, verificationRecorder } from './cognito-sms-sender';
import { storeClientConfig } from './compose';
import { errorName } from './hook-send';

const tenantId = requireEnv(ENV.COGNITO_TENANT_ID);
const secretArn = requireEnv(ENV.HASH_SECRET_ARN);
const verificationsTable = requireEnv(ENV.VERIFICATIONS_TABLE);
const countersTable = requireEnv(ENV.COUNTERS_TABLE);
const eventsTable = requireEnv(ENV.EVENTS_TABLE);
const dynamo = new DynamoDBClient(storeClientConfig());
const secrets = new SecretsManagerClient({});

let recorder: Promise<RecordVerification> | undefined;
function recorderOnce(): Promise<RecordVerification> {
  recorder ??= (async () => {
    const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (!SecretString) throw new Error('The hashing secret has no string value');
    return verificationRecorder({
      verifications: new DynamoVerificationStore(dynamo, verificationsTable),
      counters: new DynamoCounterStore(dynamo, countersTable),
      events: new DynamoEventStore(dynamo, eventsTable, { shards: optionalPositiveIntegerEnv(ENV.EVENT_SHARDS) }),
      hasher: createHasher(SecretString),
      clock: systemClock,
      logger,
    });
  })().catch((error: unknown) => {
    recorder = undefined;
    logger.warn('Could not read the hashing secret: verifications are not reported until it can be read', { error: errorName(error) });
    throw error;
  });
  return recorder;
}

const feedback = createCognitoFeedback({
  tenantId,
  record: async (outcome) => (await recorderOnce())(outcome),
  logger,
});

export const handler = middy(feedback).use(injectLambdaContext(logger));
