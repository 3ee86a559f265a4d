import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { ManMachine } from '../challenge/man-machine';
import { bearerToken } from '../service/api-keys';
import { HttpError } from './http-error';
import { otpSendRequestSchema, otpVerifyRequestSchema, sendRequestSchema, verdictRequestSchema, verificationEventSchema } from '../service/schemas';
import type { OtpService } from '../service/otp-service';
import { policyOverridesSchema } from '../engine/policy-schema';
import { reputationImportSchema, type ReputationAdmin } from '../service/reputation-admin';
import { createTenantSchema, issueKeySchema, keyIdParamSchema, supabaseHookInputSchema, type TenantAdmin } from '../service/tenant-admin';
import { tenantIdSchema } from '../domain/tenant-id';
import { adminKeyIdParamSchema, type AdminKeys } from '../service/admin-keys';
import { listEntryInputSchema, listKeyInputSchema, listPageQuerySchema, type ListAdmin } from '../service/list-admin';
import * as z from 'zod';
import type { SendOutcome } from '../service/send-outcome';
import { STATUS_OF_SEND } from './error-status';
import type { ServiceLogger, ShieldService } from '../service/shield-service';
import type { ResolvedTenant, TenantDirectory } from '../service/tenant-directory';
import { httpErrors, json } from './middleware/http-errors';
import { jsonBody, type JsonEvent } from './middleware/json-body';
import { openApiDocument } from './openapi';
import { publicErrorCors, publicRoutes } from './public-routes';
import { type ApiHandler, route, validate, type ApiRoute } from './routing';

export { route, validate, type ApiRoute } from './routing';

export interface HttpApiDeps {
  readonly service: ShieldService;
  readonly otp: OtpService;
  readonly lists: ListAdmin;
  readonly tenants: TenantDirectory;
  /** Tenant administration (admin routes); absent: those routes are not served. */
  readonly tenantAdmin?: TenantAdmin;
  /** The admin keys themselves (admin routes); absent: those routes are not served. */
  readonly adminKeys?: AdminKeys;
  /** Shared reputation export and import (admin routes); absent: those routes are not served. */
  readonly reputation?: ReputationAdmin;
  /** Public proof-of-work and device-token routes; absent: those routes are not served. */
  readonly manMachine?: ManMachine;
  readonly logger: ServiceLogger;
  /** Largest accepted body in bytes. @default 16_384 */
  readonly maxBodyBytes?: number;
  /** Routes that identity providers call, authenticated by their own signatures (the Supabase Send SMS hook). */
  readonly hookRoutes?: readonly ApiRoute[];
  /** Extra routes, e.g. the local-mode outbox; they get the same middleware chain. */
  readonly extraRoutes?: readonly ApiRoute[];
}

export type { ApiHandler } from './routing';

/** Authenticate a tenant from `Authorization: Bearer <key>`; 401 otherwise. */
export async function authenticate(tenants: TenantDirectory, event: APIGatewayProxyEventV2): Promise<ResolvedTenant> {
  const key = bearerToken(event.headers?.authorization);
  const tenant = key ? await tenants.byApiKey(key) : undefined;
  if (!tenant) {
    throw new HttpError(401, 'UNAUTHORIZED', 'Missing or invalid API key', undefined, { 'www-authenticate': 'Bearer' });
  }
  return tenant;
}

/** Authenticate an admin key: 401 without a valid key, 403 for a tenant key. */
export async function authenticateAdmin(tenants: TenantDirectory, event: APIGatewayProxyEventV2): Promise<void> {
  const key = bearerToken(event.headers?.authorization);
  if (key && (await tenants.isAdminKey(key))) return;
  if (key && (await tenants.byApiKey(key))) throw new HttpError(403, 'FORBIDDEN', 'This route needs an admin key');
  throw new HttpError(401, 'UNAUTHORIZED', 'Missing or invalid API key', undefined, { 'www-authenticate': 'Bearer' });
}

const tenantPathSchema = z.strictObject({ id: tenantIdSchema });
const reputationQuerySchema = z.strictObject({ source: z.enum(['local', 'all']).optional() });

/** Admin routes for tenants: create, read, issue / rotate / revoke keys, set the policy. */
function tenantAdminRoutes(tenants: TenantDirectory, admin: TenantAdmin): ApiRoute[] {
  const tenantId = (event: JsonEvent) => validate(tenantPathSchema, event.pathParameters ?? {}).id;
  return [
    route('POST', '/v1/admin/tenants', async (event) => {
      await authenticateAdmin(tenants, event);
      return json(201, await admin.create(validate(createTenantSchema, event.parsedBody)));
    }),
    route('GET', '/v1/admin/tenants/{id}', async (event) => {
      await authenticateAdmin(tenants, event);
      return json(200, await admin.get(tenantId(event)));
    }),
    route('GET', '/v1/admin/tenants/{id}/keys', async (event) => {
      await authenticateAdmin(tenants, event);
      return json(200, await admin.listKeys(tenantId(event)));
    }),
    route('POST', '/v1/admin/tenants/{id}/keys', async (event) => {
      await authenticateAdmin(tenants, event);
      const id = tenantId(event);
      const body = validate(issueKeySchema, event.parsedBody ?? {});
      return json(201, await admin.issueKey(id, body.revokeKeyId));
    }),
    route('DELETE', '/v1/admin/tenants/{id}/keys/{keyId}', async (event) => {
      await authenticateAdmin(tenants, event);
      const { id, keyId } = validate(keyIdParamSchema, event.pathParameters ?? {});
      return json(200, await admin.revokeKey(id, keyId));
    }),
    route('PUT', '/v1/admin/tenants/{id}/policy', async (event) => {
      await authenticateAdmin(tenants, event);
      const id = tenantId(event);
      return json(200, await admin.setPolicy(id, validate(policyOverridesSchema, event.parsedBody)));
    }),
    // The hook secret goes in and never comes out: the answers say only whether one is set.
    route('PUT', '/v1/admin/tenants/{id}/hooks/supabase', async (event) => {
      await authenticateAdmin(tenants, event);
      const id = tenantId(event);
      return json(200, await admin.setSupabaseHook(id, validate(supabaseHookInputSchema, event.parsedBody)));
    }),
    route('DELETE', '/v1/admin/tenants/{id}/hooks/supabase', async (event) => {
      await authenticateAdmin(tenants, event);
      return json(200, await admin.clearSupabaseHook(tenantId(event)));
    }),
  ];
}

/** Admin routes for the admin keys: list, issue (rotate with `revokeKeyId`), revoke. Never the last live one. */
function adminKeyRoutes(tenants: TenantDirectory, keys: AdminKeys): ApiRoute[] {
  return [
    route('GET', '/v1/admin/keys', async (event) => {
      await authenticateAdmin(tenants, event);
      return json(200, await keys.list());
    }),
    route('POST', '/v1/admin/keys', async (event) => {
      await authenticateAdmin(tenants, event);
      const body = validate(issueKeySchema, event.parsedBody ?? {});
      return json(201, await keys.issue(body.revokeKeyId));
    }),
    route('DELETE', '/v1/admin/keys/{keyId}', async (event) => {
      await authenticateAdmin(tenants, event);
      const { keyId } = validate(adminKeyIdParamSchema, event.pathParameters ?? {});
      return json(200, await keys.revoke(keyId));
    }),
  ];
}

/** Admin routes for shared reputation: what this deployment promoted (for a feed), and merging a partner's. */
function reputationRoutes(tenants: TenantDirectory, reputation: ReputationAdmin): ApiRoute[] {
  return [
    route('GET', '/v1/admin/reputation', async (event) => {
      await authenticateAdmin(tenants, event);
      const { source } = validate(reputationQuerySchema, event.queryStringParameters ?? {});
      return json(200, await reputation.list(source));
    }),
    route('POST', '/v1/admin/reputation', async (event) => {
      await authenticateAdmin(tenants, event);
      return json(200, await reputation.merge(validate(reputationImportSchema, event.parsedBody)));
    }),
  ];
}

const scopeSchema = z.strictObject({
  scope: z.string().regex(/^(?:global|t:[a-z0-9][a-z0-9-]{1,62})$/, 'must be "global" or "t:<tenant id>"'),
});
const adminListPageQuerySchema = z.strictObject({ ...scopeSchema.shape, ...listPageQuerySchema.shape });

/** `?limit=` and `?cursor=` of a list read, validated (400 naming the parameter). */
function listPage(query: z.infer<typeof listPageQuerySchema>): { limit?: number; cursor?: string } {
  return { ...(query.limit !== undefined && { limit: Number(query.limit) }), ...(query.cursor !== undefined && { cursor: query.cursor }) };
}

/**
 * HTTP API v1 as one middy handler: the same function serves API Gateway and local mode.
 * Routes parse and validate, call the service once, and map the outcome to HTTP.
 */
export function createHttpApi(deps: HttpApiDeps): ApiHandler {
  const { service, otp, tenants, lists } = deps;
  const sendResponse = (outcome: SendOutcome) => {
    const headers: Record<string, string> = outcome.kind === 'rate-limited' ? { 'retry-after': String(outcome.retryAfterSeconds) } : {};
    return json(STATUS_OF_SEND[outcome.kind], outcome.body, headers);
  };

  const routes: ApiRoute[] = [
    route('GET', '/health', async () => json(200, { status: 'ok' })),
    // The document of what this handler serves: the Lambda function's leaves out the local-only routes.
    route('GET', '/openapi.json', async () => json(200, openApiDocument({ served: routes.map((r) => `${r.method} ${r.path}`) }))),
    route('POST', '/v1/verdicts', async (event) => {
      const tenant = await authenticate(tenants, event);
      const request = validate(verdictRequestSchema, event.parsedBody);
      const verdict = await service.verdict(tenant, request);
      return json(200, { verdict });
    }),
    route('POST', '/v1/sms/send', async (event) => {
      const tenant = await authenticate(tenants, event);
      const request = validate(sendRequestSchema, event.parsedBody);
      return sendResponse(await service.send(tenant, request));
    }),
    route('POST', '/v1/otp/send', async (event) => {
      const tenant = await authenticate(tenants, event);
      const request = validate(otpSendRequestSchema, event.parsedBody);
      return sendResponse(await otp.send(tenant, request));
    }),
    route('POST', '/v1/otp/verify', async (event) => {
      const tenant = await authenticate(tenants, event);
      const request = validate(otpVerifyRequestSchema, event.parsedBody);
      return json(200, await otp.verify(tenant, request));
    }),
    route('POST', '/v1/events/verification', async (event) => {
      const tenant = await authenticate(tenants, event);
      const request = validate(verificationEventSchema, event.parsedBody);
      return json(202, await otp.report(tenant, request));
    }),
    // A tenant manages its own lists; admins manage any tenant's and the global ones.
    route('GET', '/v1/lists', async (event) => {
      const { tenant } = await authenticate(tenants, event);
      const query = validate(listPageQuerySchema, event.queryStringParameters ?? {});
      return json(200, await lists.list(`t:${tenant.id}`, listPage(query)));
    }),
    route('POST', '/v1/lists', async (event) => {
      const { tenant } = await authenticate(tenants, event);
      return json(201, await lists.add(`t:${tenant.id}`, validate(listEntryInputSchema, event.parsedBody)));
    }),
    route('DELETE', '/v1/lists', async (event) => {
      const { tenant } = await authenticate(tenants, event);
      const key = validate(listKeyInputSchema, event.queryStringParameters ?? {});
      await lists.remove(`t:${tenant.id}`, key.kind, key.value);
      return json(200, { removed: true });
    }),
    route('GET', '/v1/admin/lists', async (event) => {
      await authenticateAdmin(tenants, event);
      const { scope, ...query } = validate(adminListPageQuerySchema, event.queryStringParameters ?? {});
      return json(200, await lists.list(scope, listPage(query)));
    }),
    route('POST', '/v1/admin/lists', async (event) => {
      await authenticateAdmin(tenants, event);
      const body = (event.parsedBody ?? {}) as Record<string, unknown>;
      const { scope } = validate(scopeSchema, { scope: body.scope });
      const { scope: _scope, ...entry } = body;
      return json(201, await lists.add(scope, validate(listEntryInputSchema, entry)));
    }),
    route('DELETE', '/v1/admin/lists', async (event) => {
      await authenticateAdmin(tenants, event);
      const { scope, ...rest } = event.queryStringParameters ?? {};
      const key = validate(listKeyInputSchema, rest);
      await lists.remove(validate(scopeSchema, { scope }).scope, key.kind, key.value);
      return json(200, { removed: true });
    }),
    ...(deps.tenantAdmin ? tenantAdminRoutes(tenants, deps.tenantAdmin) : []),
    ...(deps.adminKeys ? adminKeyRoutes(tenants, deps.adminKeys) : []),
    ...(deps.reputation ? reputationRoutes(tenants, deps.reputation) : []),
    ...(deps.manMachine ? publicRoutes(deps.manMachine, deps.logger) : []),
    ...(deps.hookRoutes ?? []),
    ...(deps.extraRoutes ?? []),
  ];

  const handler = middy<JsonEvent, APIGatewayProxyResultV2>()
    .use(httpHeaderNormalizer())
    // Errors raised before routing (body parsing) on the public paths still carry CORS.
    .use(publicErrorCors())
    .use(httpErrors(deps.logger))
    .use(jsonBody({ maxBytes: deps.maxBodyBytes }))
    .handler(httpRouterHandler(routes));
  const api = handler as unknown as ApiHandler;
  SERVED_ROUTES.set(
    api,
    routes.map((r) => ({ method: r.method, path: r.path })),
  );
  return api;
}

const SERVED_ROUTES = new WeakMap<ApiHandler, readonly { method: string; path: string }[]>();

/** The routes a handler from `createHttpApi` serves (method and router path), e.g. to check the OpenAPI document. */
export function servedRoutes(handler: ApiHandler): readonly { method: string; path: string }[] {
  return SERVED_ROUTES.get(handler) ?? [];
}
