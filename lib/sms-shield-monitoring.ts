import type { Alarm, Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { buildAlarms, notifyTopic } from './monitoring-alarms.js';
import { addAlarmRow, buildDashboard } from './monitoring-dashboard.js';
import { monitoringOptionErrors, resolveMonitoringOptions, type SmsShieldMonitoringOptions } from './monitoring-options.js';

export type { SmsShieldMonitoringOptions } from './monitoring-options.js';

/** Properties of {@link SmsShieldMonitoring}. */
export interface SmsShieldMonitoringProps extends SmsShieldMonitoringOptions {
  /** The API function (emits the SmsShield metrics). */
  readonly apiFunction: IFunction;
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
 * Lambda errors and throttles, DynamoDB throttles) and its alarms (spend spike, block-rate
 * spike, error rate), optionally notifying an SNS topic.
 */
export class SmsShieldMonitoring extends Construct {
  /** The CloudWatch dashboard. */
  public readonly dashboard: Dashboard;
  /** Estimated SMS spend in one hour above the threshold. */
  public readonly spendAlarm: Alarm;
  /** Share of blocked verdicts above the threshold. */
  public readonly blockRateAlarm: Alarm;
  /** API function error rate above the threshold. */
  public readonly errorRateAlarm: Alarm;

  constructor(scope: Construct, id: string, props: SmsShieldMonitoringProps) {
    super(scope, id);
    const errors = monitoringOptionErrors(props, 'SmsShieldMonitoringProps');
    if (errors.length === 1) throw new Error(errors[0]);
    if (errors.length > 1) throw new Error(`Invalid SmsShieldMonitoringProps:\n- ${errors.join('\n- ')}`);
    const options = resolveMonitoringOptions(props);

    this.dashboard = buildDashboard(this, { functions: [props.apiFunction, ...(props.otherFunctions ?? [])], tables: props.tables }, options.dashboardName);
    const alarms = buildAlarms(this, props.apiFunction, options);
    this.spendAlarm = alarms.spendAlarm;
    this.blockRateAlarm = alarms.blockRateAlarm;
    this.errorRateAlarm = alarms.errorRateAlarm;
    addAlarmRow(this.dashboard, alarms, options);

    if (options.alarmTopic) {
      notifyTopic(options.alarmTopic, [this.spendAlarm, this.blockRateAlarm, this.errorRateAlarm, ...(props.extraAlarms ?? [])]);
    }
  }
}
