import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { SmsShieldStack, type SmsShieldStackProps } from '../../lib/sms-shield-stack';

/*
 * The synthesized templates through cfn-lint (AWS CloudFormation Linter): the resource schemas
 * catch properties CloudFormation would refuse at deploy time, which a synth never sees. cfn-lint
 * is a Python tool (`pip install cfn-lint`; Debian has no package): where it is missing the
 * suite is skipped and says so.
 */

const found = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const cfnLintVersion = found.status === 0 ? found.stdout.trim() : undefined;
if (!cfnLintVersion) console.warn('cfn-lint is not on PATH: test/infra/cfn-lint.test.ts is skipped (pip install cfn-lint to run it)');

const cdkJson = JSON.parse(readFileSync(fileURLToPath(new URL('../../cdk.json', import.meta.url)), 'utf8')) as { context?: Record<string, unknown> };
const workdir = mkdtempSync(join(tmpdir(), 'sms-shield-cfn-lint-'));

afterAll(() => {
  rmSync(workdir, { recursive: true, force: true });
});

/** The stacks the app can deploy: the default, the public edge with its web ACL, and an alarm topic it creates. */
const STACKS: Record<string, SmsShieldStackProps> = {
  default: {},
  'public-edge': { env: { account: '123456789012', region: 'us-east-1' }, shield: { publicEdge: {} } },
  'alarm-email': { alarmEmail: 'oncall@example.com', shield: { reservedConcurrency: 10 } },
};

type Match = { Rule: { Id: string }; Level: string; Message: string; Filename: string; Location: { Path: (string | number)[] } };

function lint(stack: Stack, name: string): Match[] {
  const file = join(workdir, `${name}.template.json`);
  writeFileSync(file, JSON.stringify(Template.fromStack(stack).toJSON(), null, 1));
  // Exit status: 0 clean, bit 2 errors, bit 4 warnings, bit 8 informational; the JSON says which.
  const run = spawnSync('cfn-lint', ['--format', 'json', '--', file], { encoding: 'utf8' });
  if (run.error) throw run.error;
  if (run.stdout.trim() === '') throw new Error(`cfn-lint printed nothing (status ${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as Match[];
}

describe.skipIf(!cfnLintVersion)(`cfn-lint${cfnLintVersion ? ` (${cfnLintVersion})` : ' — skipped: cfn-lint is not installed'}`, { timeout: 90_000 }, () => {
  it.each(Object.keys(STACKS))('finds no error in the %s stack', (name) => {
    const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
    const matches = lint(new SmsShieldStack(app, 'SmsShield', STACKS[name]), name);
    const errors = matches.filter((m) => m.Level === 'Error').map((m) => `${m.Rule.Id} ${m.Location.Path.join('/')}: ${m.Message}`);
    expect(errors).toEqual([]);
  });

  it('reports an error where there is one (the run is not silently empty)', () => {
    const file = join(workdir, 'broken.template.json');
    writeFileSync(file, JSON.stringify({ Resources: { Table: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'FREE' } } } }));
    const run = spawnSync('cfn-lint', ['--format', 'json', '--', file], { encoding: 'utf8' });
    expect((JSON.parse(run.stdout) as Match[]).some((m) => m.Level === 'Error')).toBe(true);
  });
});
