/**
 * Lambda entry point of a user pool's custom SMS sender trigger: the shield in process, built by
 * the same composition root as the API (`awsShieldPorts`, `composeShield`) on the same tables, for the one tenant
 * the construct names. Addresses in `clientMetadata` are claims: the lists it sees hide address
 * allow entries (`withClaimedAddresses`). Configuration missing here fails the cold start loudly.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { kmsCodeDecryptor } from '../adapters/aws/cognito-code-decryptor';
import { systemClock } from '../ports/clock';
import { withClaimedAddresses } from '../service/claimed-address-lists';
import { ENV, requireEnv } from '../shared/env';
import { logger, metrics } from '../shared/observability';
import { awsShieldPorts } from './aws-ports';
import { createCognitoSmsSender } from './cognito-sms-sender';
import { composeShield } from './compose';
import { recordVerdictMetrics } from './verdict-metrics';

const tenantId = requireEnv(ENV.COGNITO_TENANT_ID);
const keyArn = requireEnv(ENV.COGNITO_KEY_ARN);

// The same ports as the API function; the lists hide address allow entries from claimed addresses.
const aws = await awsShieldPorts({ lists: withClaimedAddresses });
const { tenants, basePolicy } = aws;
const app = composeShield({ ...aws.ports, onVerdict: (record) => recordVerdictMetrics(metrics, record, undefined) });

const send = createCognitoSmsSender({
  service: app.service,
  tenants,
  tenantId,
  basePolicy,
  decrypt: kmsCodeDecryptor(keyArn),
  templates: {
    code: process.env[ENV.COGNITO_CODE_TEMPLATE] || undefined,
    temporaryPassword: process.env[ENV.COGNITO_TEMPORARY_PASSWORD_TEMPLATE] || undefined,
  },
  logger,
  clock: systemClock,
});

export const handler = middy(send).use(injectLambdaContext(logger)).use(logMetrics(metrics));
