import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSync } from '@swc/core';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import type { TableSchema } from '../../lambdas/adapters/dynamo/schema';
import { type RoleTableAccess, TABLE_ACCESS } from '../../lib/tables';
import { policiesOf, type Synthesized, synth, toArray } from './support/shield-template';

/*
 * Least privilege on the tables: each role may send exactly the DynamoDB calls its code sends.
 * The first part pins the template (an action added or dropped fails it); the second reads the
 * adapters' source, so a new command in an adapter without its grant fails here, not in AWS.
 */

const defaults = synth();

type TableName = TableSchema['name'];

/** Every DynamoDB grant of `role` as `<table>[/index/<name>] <action>`, sorted. */
function dynamoGrants(s: Synthesized, role: IConstruct): string[] {
  const tableIds: Record<string, TableName> = {
    [s.logicalId(s.shield.countersTable)]: 'Counters',
    [s.logicalId(s.shield.listsTable)]: 'Lists',
    [s.logicalId(s.shield.tenantsTable)]: 'Tenants',
    [s.logicalId(s.shield.verificationsTable)]: 'Verifications',
    [s.logicalId(s.shield.eventsTable)]: 'Events',
  };
  const target = (resource: unknown): string => {
    const getAtt = (value: unknown) => {
      const [id, attribute] = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'] ?? [];
      const name = id === undefined ? undefined : tableIds[id];
      if (name === undefined || attribute !== 'Arn') throw new Error(`DynamoDB grant on something that is not a shield table: ${JSON.stringify(value)}`);
      return name;
    };
    const join = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join === undefined) return getAtt(resource);
    const [table, suffix, ...rest] = join[1];
    if (rest.length > 0 || typeof suffix !== 'string' || !/^\/index\/[A-Za-z]+$/.test(suffix)) {
      throw new Error(`DynamoDB grant on an unexpected resource: ${JSON.stringify(resource)}`);
    }
    return `${getAtt(table)}${suffix}`;
  };
  const roleId = s.logicalId(role);
  return policiesOf(s.resources)
    .filter((policy) => policy.roles.includes(roleId))
    .flatMap((policy) => policy.statements)
    .filter((statement) => toArray(statement.Action).some((action) => action.startsWith('dynamodb:')))
    .flatMap((statement) => {
      expect(statement.Effect).toBe('Allow');
      expect(statement.Condition).toBeUndefined();
      return toArray(statement.Resource).flatMap((resource) => toArray(statement.Action).map((action) => `${target(resource)} ${action}`));
    })
    .sort();
}

describe('table grants', () => {
  it('give the API function exactly the calls its stores send, table by table and index by index', () => {
    expect(dynamoGrants(defaults, defaults.shield.apiFunction.role!)).toEqual(
      [
        'Counters dynamodb:BatchGetItem',
        'Counters dynamodb:UpdateItem',
        'Events dynamodb:PutItem',
        'Lists dynamodb:BatchGetItem',
        'Lists dynamodb:DeleteItem',
        'Lists dynamodb:PutItem',
        'Lists/index/byScope dynamodb:Query',
        'Tenants dynamodb:GetItem',
        'Tenants dynamodb:PutItem',
        'Tenants dynamodb:UpdateItem',
        'Tenants/index/byTenant dynamodb:Query',
        'Verifications dynamodb:DeleteItem',
        'Verifications dynamodb:GetItem',
        'Verifications dynamodb:PutItem',
        'Verifications dynamodb:UpdateItem',
      ].sort(),
    );
  });

  it('give the joint-defense job PutItem (its partials) and Query on Events and BatchGetItem and PutItem on Lists, nothing else', () => {
    expect(dynamoGrants(defaults, defaults.shield.jointDefenseFunction.role!)).toEqual([
      'Events dynamodb:PutItem',
      'Events dynamodb:Query',
      'Lists dynamodb:BatchGetItem',
      'Lists dynamodb:PutItem',
    ]);
  });

  it('never grant a table-wide wildcard, a scan, a batch write or a stream', () => {
    const actions = policiesOf(defaults.resources)
      .flatMap((policy) => policy.statements)
      .flatMap((statement) => toArray(statement.Action))
      .filter((action) => action.startsWith('dynamodb:'));
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action).toMatch(/^dynamodb:(BatchGetItem|DeleteItem|GetItem|PutItem|Query|UpdateItem)$/);
  });

  it('fail the synth when a role is given a table it was not handed', async () => {
    const { App, Stack } = await import('aws-cdk-lib');
    const { Role, ServicePrincipal } = await import('aws-cdk-lib/aws-iam');
    const { grantTableAccess } = await import('../../lib/tables');
    const stack = new Stack(new App(), 'Grants');
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    expect(() => grantTableAccess(role, { Tenants: { table: ['GetItem'] } }, {})).toThrow(/no Tenants table/);
  });
});

/** Which table each DynamoDB adapter is handed, in lambdas/handlers/api.ts and joint-defense-job.ts. */
const ADAPTER_TABLES: Record<string, TableName> = {
  'dynamo-counter-store.ts': 'Counters',
  'dynamo-event-store.ts': 'Events',
  'dynamo-partial-store.ts': 'Events',
  'dynamo-idempotency-store.ts': 'Verifications',
  'dynamo-list-store.ts': 'Lists',
  'dynamo-replay-guard.ts': 'Verifications',
  'dynamo-tenant-store.ts': 'Tenants',
  'dynamo-verification-store.ts': 'Verifications',
};
const ADAPTERS_DIR = fileURLToPath(new URL('../../lambdas/adapters/dynamo/', import.meta.url));

/** The DynamoDB calls one adapter sends: `Action` on the table, or `Query@index` (`Query@?` when the index is not a literal). */
function commandsIn(file: string): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) walk(child);
      return;
    }
    const n = node as { type?: string; callee?: { type: string; value: string }; arguments?: { expression: unknown }[] };
    if (n.type === 'NewExpression' && n.callee?.type === 'Identifier' && n.callee.value.endsWith('Command')) {
      const action = n.callee.value.slice(0, -'Command'.length);
      const input = n.arguments?.[0]?.expression as {
        type: string;
        properties: { type: string; key?: { value?: string }; value?: { type: string; value?: string } }[];
      };
      const index =
        input?.type === 'ObjectExpression' ? input.properties.find((p) => p.type === 'KeyValueProperty' && p.key?.value === 'IndexName') : undefined;
      found.push(index === undefined ? action : `${action}@${index.value?.type === 'StringLiteral' ? index.value.value : '?'}`);
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'span') walk(child);
  };
  walk(parseSync(readFileSync(`${ADAPTERS_DIR}${file}`, 'utf8'), { syntax: 'typescript' }));
  return found;
}

/** `access` as the same `Action` / `Query@index` strings, per table. */
function granted(...roles: RoleTableAccess[]): Record<TableName, Set<string>> {
  const out: Record<string, Set<string>> = {};
  for (const role of roles) {
    for (const [table, { table: onTable = [], indexes = {} }] of Object.entries(role)) {
      const set = (out[table] ??= new Set());
      for (const action of onTable) set.add(action);
      for (const [index, actions] of Object.entries(indexes)) for (const action of actions) set.add(`${action}@${index}`);
    }
  }
  return out as Record<TableName, Set<string>>;
}

describe('TABLE_ACCESS against the adapters', () => {
  const adapters = readdirSync(ADAPTERS_DIR).filter((file) => /^dynamo-.*\.ts$/.test(file));

  it('knows the table of every DynamoDB adapter', () => {
    expect(adapters.sort()).toEqual(Object.keys(ADAPTER_TABLES).sort());
  });

  it('grants every call an adapter sends, and no table action that no adapter sends', () => {
    const sent: Record<string, Set<string>> = {};
    for (const file of adapters) {
      const set = (sent[ADAPTER_TABLES[file]!] ??= new Set());
      for (const command of commandsIn(file)) set.add(command);
    }
    const grants = granted(TABLE_ACCESS.apiFunction, TABLE_ACCESS.jointDefense, TABLE_ACCESS.cognitoSmsSender, TABLE_ACCESS.cognitoFeedback);
    for (const [table, commands] of Object.entries(sent)) {
      const given = grants[table as TableName] ?? new Set();
      for (const command of commands) {
        // An index named by a constant: some Query grant on an index of that table must exist.
        if (command.endsWith('@?'))
          expect(
            [...given].some((g) => g.startsWith(command.slice(0, -1))),
            `${table}: ${command}`,
          ).toBe(true);
        else expect(given.has(command), `${table}: ${command} is sent but not granted`).toBe(true);
      }
      // Table actions must be sent by some adapter; index grants may lead their adapter's Query.
      for (const grant of given) if (!grant.includes('@')) expect(commands.has(grant), `${table}: ${grant} is granted but never sent`).toBe(true);
    }
  });

  it('reads the adapters it checks (the parser sees their commands)', () => {
    expect(commandsIn('dynamo-list-store.ts')).toEqual(expect.arrayContaining(['BatchGetItem', 'PutItem', 'DeleteItem', 'Query@byScope']));
  });
});
