import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Alarm, Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { buildAlarms, notifyTopic } from './monitoring-alarms.js';
import { addAlarmRows, buildDashboard } from './monitoring-dashboard.js';
import { monitoringOptionErrors, resolveMonitoringOptions, type SmsShieldMonitoringOptions } from './monitoring-options.js';

export type { SmsShieldMonitoringOptions } from './monitoring-options.js';

/** Properties of {@link SmsShieldMonitoring}. */
export interface SmsShieldMonitoringProps extends SmsShieldMonitoringOptions {
  /** The API function (emits the SmsShield metrics). */
  readonly apiFunction: IFunction;
  /** The HTTP API in front of it: its 5xx rate is the error alarm. */
  readonly api: IHttpApi;
  /** The API's access logs (JSON lines with `status`, `integrationStatus`, `apiId`): gateway throttles are counted from them. */
  readonly accessLogs: ILogGroup;
  /**
   * Other functions whose errors and throttles are graphed (e.g. the joint-defense job).
   * @default - none
   */
  readonly otherFunctions?: readonly IFunction[];
  /** Tables whose throttled reads and writes are graphed. */
  readonly tables: readonly ITable[];
  /**
   * Alarms created elsewhere that should notify the same topic.
   * @default - none
   */
  readonly extraAlarms?: readonly Alarm[];
}

/**
 * The SMS Shield dashboard (sent vs. blocked, top reasons and countries, cost avoided, latency,
 * Lambda errors and throttles, DynamoDB throttles, API responses, the account's SMS spend and
 * delivery) and its alarms, optionally notifying an SNS topic.
 */
export class SmsShieldMonitoring extends Construct {
  /** The CloudWatch dashboard. */
  public readonly dashboard: Dashboard;
  /** Estimated SMS spend in one hour above the threshold. */
  public readonly spendAlarm: Alarm;
  /** Share of blocked verdicts above the threshold. */
  public readonly blockRateAlarm: Alarm;
  /** Share of API requests answered 5xx above the threshold. */
  public readonly errorRateAlarm: Alarm;
  /** The API function was throttled by Lambda. */
  public readonly functionThrottleAlarm: Alarm;
  /** API Gateway refused requests with 429 (stage or route throttle). */
  public readonly gatewayThrottleAlarm: Alarm;
  /** The account's month-to-date SMS spend near its monthly limit (AWS/SNS). */
  public readonly smsSpendLimitAlarm: Alarm;
  /** Share of SMS not delivered above the threshold (AWS/SNS). */
  public readonly smsDeliveryAlarm: Alarm;
  /** A verdict met a cost guardrail: a country over its 10-minute cap or its daily budget. */
  public readonly costGuardrailAlarm: Alarm;

  constructor(scope: Construct, id: string, props: SmsShieldMonitoringProps) {
    super(scope, id);
    const errors = monitoringOptionErrors(props, 'SmsShieldMonitoringProps');
    if (errors.length === 1) throw new Error(errors[0]);
    if (errors.length > 1) throw new Error(`Invalid SmsShieldMonitoringProps:\n- ${errors.join('\n- ')}`);
    const options = resolveMonitoringOptions(props);

    this.dashboard = buildDashboard(this, { functions: [props.apiFunction, ...(props.otherFunctions ?? [])], tables: props.tables }, options.dashboardName);
    const alarms = buildAlarms(this, props, options);
    this.spendAlarm = alarms.spendAlarm;
    this.blockRateAlarm = alarms.blockRateAlarm;
    this.errorRateAlarm = alarms.errorRateAlarm;
    this.functionThrottleAlarm = alarms.functionThrottleAlarm;
    this.gatewayThrottleAlarm = alarms.gatewayThrottleAlarm;
    this.smsSpendLimitAlarm = alarms.smsSpendLimitAlarm;
    this.smsDeliveryAlarm = alarms.smsDeliveryAlarm;
    this.costGuardrailAlarm = alarms.costGuardrailAlarm;
    addAlarmRows(this.dashboard, alarms, props.api, options);

    if (options.alarmTopic) notifyTopic(options.alarmTopic, [...Object.values(alarms), ...(props.extraAlarms ?? [])]);
  }
}
