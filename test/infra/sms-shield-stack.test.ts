import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { synth } from './support/shield-template';

const defaults = synth();

describe('SmsShieldStack', () => {
  it('outputs the API URL, the public endpoint URL, table names, secret ARN and the guardrail policy ARN', () => {
    const outputs = defaults.template.toJSON().Outputs;
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'AdminKeySecretArn',
        'ApiUrl',
        'CountersTableName',
        'DirectSmsGuardrailArn',
        'EventsTableName',
        'HashSecretArn',
        'ListsTableName',
        'PublicEndpointUrl',
        'TenantsTableName',
        'VerificationsTableName',
      ].sort(),
    );
    expect(outputs.DirectSmsGuardrailArn.Value).toEqual({ Ref: defaults.logicalId(defaults.shield.directSmsGuardrail.node.defaultChild as CfnElement) });
    expect(outputs.TenantsTableName.Value).toEqual({ Ref: defaults.logicalId(defaults.shield.tenantsTable) });
    expect(outputs.VerificationsTableName.Value).toEqual({ Ref: defaults.logicalId(defaults.shield.verificationsTable) });
    expect(outputs.HashSecretArn.Value).toEqual({ Ref: defaults.logicalId(defaults.shield.hashSecret) });
    expect(outputs.AdminKeySecretArn.Value).toEqual({ Ref: defaults.logicalId(defaults.shield.adminKeySecret) });
    expect(outputs.EventsTableName.Value).toEqual({ Ref: defaults.logicalId(defaults.shield.eventsTable) });
    expect(JSON.stringify(outputs.ApiUrl.Value)).toContain('execute-api');
  });
});
