import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** The one logger and metrics instance every handler imports (Powertools). */
export const logger = new Logger({ serviceName: 'sms-shield' });
export const metrics = new Metrics({ namespace: 'SmsShield', serviceName: 'sms-shield' });
