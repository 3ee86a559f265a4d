import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * bin/app.ts as `cdk synth` runs it: a child process with cdk.json's and the command line's context
 * in CDK_CONTEXT_JSON and the cloud assembly written to CDK_OUTDIR. Bundling is skipped: the alarms, not the code, are under test.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// The CLI hands the app cdk.json's context (the feature flags) the same way.
const cdkJson = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
const outdirs: string[] = [];

afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

type Resource = { Type: string; Properties: Record<string, any> };

/** Synthesizes the app with `context`; returns the template's resources and the stack's warnings. */
function synthApp(context: Record<string, string>) {
  const outdir = mkdtempSync(join(tmpdir(), 'sms-shield-app-'));
  outdirs.push(outdir);
  execFileSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
    cwd: ROOT,
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJson.context, ...context, 'aws:cdk:bundling-stacks': [] }) },
    stdio: 'pipe',
  });
  const template = JSON.parse(readFileSync(join(outdir, 'SmsShield.template.json'), 'utf8')) as { Resources: Record<string, Resource> };
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { additionalMetadataFile?: string }>;
  };
  const metadataFile = manifest.artifacts.SmsShield?.additionalMetadataFile;
  const metadata = metadataFile ? (JSON.parse(readFileSync(join(outdir, metadataFile), 'utf8')) as Record<string, { type: string; data: unknown }[]>) : {};
  const warnings = Object.values(metadata)
    .flat()
    .filter((entry) => entry.type === 'aws:cdk:warning')
    .map((entry) => String(entry.data));
  const alarms = Object.values(template.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
  return { resources: template.Resources, alarms, warnings };
}

// Each test synthesizes the whole app in a child process: seconds alone, far more on a busy machine.
describe('bin/app.ts alarm destination', { timeout: 90_000 }, () => {
  it('-c alarmEmail: creates a topic with the address subscribed, and every alarm notifies it', () => {
    const { resources, alarms, warnings } = synthApp({ alarmEmail: 'oncall@example.com' });
    const topics = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    const topicRef = { Ref: topics[0]![0] };
    const subscriptions = Object.values(resources).filter((r) => r.Type === 'AWS::SNS::Subscription');
    expect(subscriptions.map((s) => s.Properties)).toEqual([{ Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: topicRef }]);
    expect(alarms.length).toBeGreaterThanOrEqual(9);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([topicRef]);
      expect(alarm.Properties.OKActions).toEqual([topicRef]);
    }
    expect(warnings).toEqual([]);
  });

  it('-c alarmTopicArn: every alarm notifies the existing topic, and none is created', () => {
    const arn = 'arn:aws:sns:eu-west-1:123456789012:oncall';
    const { resources, alarms, warnings } = synthApp({ alarmTopicArn: arn });
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::SNS::Topic')).toEqual([]);
    expect(alarms.length).toBeGreaterThanOrEqual(9);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([arn]);
      expect(alarm.Properties.OKActions).toEqual([arn]);
    }
    expect(warnings).toEqual([]);
  });

  it('without either: the alarms have no action, and the synth warns that they notify nobody', () => {
    const { alarms, warnings } = synthApp({});
    expect(alarms.length).toBeGreaterThanOrEqual(9);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
      expect(alarm.Properties.OKActions).toBeUndefined();
    }
    expect(warnings).toEqual([expect.stringContaining('The alarms have no destination')]);
    expect(warnings[0]).toContain('-c alarmEmail=');
  });
});
