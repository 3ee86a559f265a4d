import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type PolicyValidationPluginReport, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SmsShieldStack, type SmsShieldStackProps } from '../../lib/sms-shield-stack';

// The same feature flags as `cdk synth`, so the checked template is the deployed one.
const cdkJson = JSON.parse(readFileSync(fileURLToPath(new URL('../../cdk.json', import.meta.url)), 'utf8')) as {
  context?: Record<string, unknown>;
};

/** The default stack, one in us-east-1 with the public edge and its web ACL, or one with an alarm topic it creates. */
function buildApp(variant: 'default' | 'edge' | 'alarmEmail' = 'default') {
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  const props: Record<string, SmsShieldStackProps> = {
    default: {},
    edge: { env: { account: '123456789012', region: 'us-east-1' }, shield: { publicEdge: {} } },
    alarmEmail: { alarmEmail: 'oncall@example.com' },
  };
  const stack = new SmsShieldStack(app, 'SmsShield', props[variant]);
  return { app, stack };
}

/** Acknowledgements recorded in construct metadata, where cdk-nag 3 looks them up. */
function acknowledgementsIn(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([qualifiedId, reason]) => ({
          path: construct.node.path,
          id: qualifiedId.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

function findings(report: PolicyValidationPluginReport): { ruleName: string; severity?: string; path: string }[] {
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({
      ruleName: violation.ruleName,
      severity: violation.severity,
      path: resource.constructPath ?? '?',
    })),
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged error or warning', () => {
    const { app } = buildApp();
    expect(findings(new AwsSolutionsChecks().validateScope(app))).toEqual([]);
  });

  it('lets the app synthesize with the plugin registered, as `cdk synth` does', () => {
    const { app } = buildApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // Under vitest (NODE_ENV=test) CDK throws on a failing validation report instead of only printing it.
    const assembly = app.synth();
    try {
      const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
        pluginReports: { violations?: unknown[] }[];
      };
      expect(report.pluginReports.flatMap((r) => r.violations ?? [])).toEqual([]);
    } finally {
      rmSync(assembly.directory, { recursive: true, force: true });
    }
  });

  it('acknowledges exactly these findings, each with a written reason', () => {
    const acks = acknowledgementsIn(buildApp().app);
    expect(acks.map(({ path, id }) => ({ path, id })).sort(byPathThenId)).toEqual(
      [
        { path: 'SmsShield/SmsShield/HashSecret', id: 'AwsSolutions-SMG4' },
        { path: 'SmsShield/SmsShield/ChallengeSecret', id: 'AwsSolutions-SMG4' },
        { path: 'SmsShield/SmsShield/ApiFunction', id: 'AwsSolutions-L1' },
        { path: 'SmsShield/SmsShield/JointDefenseFunction', id: 'AwsSolutions-L1' },
        { path: 'SmsShield/SmsShield/AdminKeySecret', id: 'AwsSolutions-SMG4' },
        { path: 'SmsShield/SmsShield/AdminKeyBootstrapFunction', id: 'AwsSolutions-L1' },
        {
          path: 'SmsShield/SmsShield/AdminKeyProviderRole/DefaultPolicy',
          id: expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<SmsShieldAdminKeyBootstrapFunction[0-9A-F]{8}\.Arn>:\*\]$/),
        },
        { path: 'SmsShield/SmsShield/SmsPublishPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
        { path: 'SmsShield/SmsShield/Api/DefaultRoute', id: 'AwsSolutions-APIG4' },
        ...['Counters', 'Verifications', 'Events'].map((table) => ({ path: `SmsShield/SmsShield/${table}Table`, id: 'AwsSolutions-DDB3' })),
        ...['GET-v1-challenge', 'OPTIONS-v1-challenge', 'POST-v1-device', 'OPTIONS-v1-device'].map((route) => ({
          path: `SmsShield/SmsShield/Api/PublicRoute${route}`,
          id: 'AwsSolutions-APIG4',
        })),
      ].sort(byPathThenId),
    );
    for (const { id, reason } of acks) {
      expect(reason.trim().length, `reason for ${id}`).toBeGreaterThanOrEqual(60);
    }
  });

  it('has no stale acknowledgement: each one hides a finding that fires without it', () => {
    const acks = acknowledgementsIn(buildApp().app);
    // Rebuild with acknowledge() turned into a no-op to see what cdk-nag reports unfiltered.
    vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => undefined);
    const raw = findings(new AwsSolutionsChecks().validateScope(buildApp().app));

    const coveringAck = (finding: { ruleName: string; path: string }) =>
      acks.find((ack) => ack.id === finding.ruleName && (finding.path === ack.path || finding.path.startsWith(`${ack.path}/`)));
    expect(raw.filter((finding) => !coveringAck(finding))).toEqual([]);
    for (const ack of acks) {
      expect(
        raw.some((finding) => coveringAck(finding) === ack),
        `${ack.id} at ${ack.path} hides no finding`,
      ).toBe(true);
    }
  });

  it('leaves no CDK warning annotations', () => {
    const { stack } = buildApp();
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});

describe('cdk-nag AwsSolutions with the public edge (CloudFront, AWS WAF)', () => {
  it('reports no unacknowledged error or warning', () => {
    expect(findings(new AwsSolutionsChecks().validateScope(buildApp('edge').app))).toEqual([]);
  });

  it("acknowledges only these findings beyond the default stack's, each with a written reason", () => {
    const key = ({ path, id }: { path: string; id: string }) => `${path} ${id}`;
    const base = new Set(acknowledgementsIn(buildApp().app).map(key));
    const extra = acknowledgementsIn(buildApp('edge').app).filter((ack) => !base.has(key(ack)));
    expect(extra.map(({ path, id }) => ({ path, id })).sort(byPathThenId)).toEqual(
      [
        { path: 'SmsShield/SmsShield/OriginSecret', id: 'AwsSolutions-SMG4' },
        { path: 'SmsShield/SmsShield/PublicEdge/Distribution', id: 'AwsSolutions-CFR1' },
        { path: 'SmsShield/SmsShield/PublicEdge/Distribution', id: 'AwsSolutions-CFR3' },
        { path: 'SmsShield/SmsShield/PublicEdge/Distribution', id: 'AwsSolutions-CFR4' },
      ].sort(byPathThenId),
    );
    for (const { id, reason } of extra) expect(reason.trim().length, `reason for ${id}`).toBeGreaterThanOrEqual(60);
  });

  it('has no stale acknowledgement: each one hides a finding that fires without it', () => {
    const acks = acknowledgementsIn(buildApp('edge').app);
    vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => undefined);
    const raw = findings(new AwsSolutionsChecks().validateScope(buildApp('edge').app));
    const coveringAck = (finding: { ruleName: string; path: string }) =>
      acks.find((ack) => ack.id === finding.ruleName && (finding.path === ack.path || finding.path.startsWith(`${ack.path}/`)));
    expect(raw.filter((finding) => !coveringAck(finding))).toEqual([]);
    for (const ack of acks)
      expect(
        raw.some((finding) => coveringAck(finding) === ack),
        `${ack.id} at ${ack.path} hides no finding`,
      ).toBe(true);
  });

  it('leaves no CDK warning annotations', () => {
    const { stack } = buildApp('edge');
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});

describe('cdk-nag AwsSolutions with an alarm topic (-c alarmEmail)', () => {
  it('reports no finding on the topic (TLS enforced) and needs no acknowledgement beyond the default stack', () => {
    expect(findings(new AwsSolutionsChecks().validateScope(buildApp('alarmEmail').app))).toEqual([]);
    const key = ({ path, id }: { path: string; id: string }) => `${path} ${id}`;
    const base = new Set(acknowledgementsIn(buildApp().app).map(key));
    expect(acknowledgementsIn(buildApp('alarmEmail').app).filter((ack) => !base.has(key(ack)))).toEqual([]);
  });
});

function byPathThenId(a: { path: string; id: unknown }, b: { path: string; id: unknown }): number {
  return a.path.localeCompare(b.path) || String(a.id).localeCompare(String(b.id));
}
