/**
 * The public edge's origin check, on the real app (`composeShield` with in-memory stores) wrapped
 * as the Lambda entry point wraps it: with the edge on, the public routes answer only requests
 * CloudFront forwarded (origin secret) and count the viewer's address CloudFront reports, never
 * CloudFront's own and never one a caller wrote into the header itself.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ShieldApp } from '../../lambdas/handlers/compose';
import { servedRoutes, type ApiHandler } from '../../lambdas/handlers/http-api';
import { guardPublicOrigin, PUBLIC_PATHS } from '../../lambdas/handlers/public-routes';
import { ORIGIN_SECRET_HEADER, PUBLIC_ROUTES, VIEWER_ADDRESS_HEADER } from '../../lambdas/shared/public-edge';
import { ManualClock } from '../../lambdas/ports/clock';
import { createTenant } from '../../lambdas/service/tenant-admin';
import { apiEvent } from '../support/api-event';
import { T0 } from '../support/engine';
import { memoryShield, quiet } from '../support/shield';

const browser = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const ORIGIN_SECRET = 'k3yFromSecretsManager0123456789abcdefABCDEF012345';
const context = { awsRequestId: 'test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
/** CloudFront's own addresses are on AWS networks: the test GeoIP calls 3.0.0.0/8 hosting. */
const EDGE = '3.1.2.3';
/** Residential viewers (test GeoIP: GB and FR consumer networks). */
const ALICE = '81.2.69.10';
const BOB = '90.1.2.3';

let app: ShieldApp;
/** Events the app itself received, after the origin check. */
let seen: APIGatewayProxyEventV2[];
let edgeOn: ApiHandler;
let edgeOff: ApiHandler;

beforeEach(async () => {
  const clock = new ManualClock(T0);
  const shield = memoryShield(clock, ({ replays }) => ({
    manMachine: { secret: 'man-machine-secret-for-tests-0123456789', replays, levels: [1_000, 4_000, 16_000, 64_000] },
  }));
  app = shield.app;
  const { tenants } = shield.stores;
  await createTenant(tenants, { id: 'shop' }, T0);
  seen = [];
  const recording: ApiHandler = async (event, ctx) => {
    seen.push(event);
    return app.handler(event, ctx);
  };
  edgeOn = guardPublicOrigin(recording, { secret: ORIGIN_SECRET, logger: quiet });
  edgeOff = guardPublicOrigin(recording, {});
});

interface Call {
  method?: string;
  path?: string;
  from?: string;
  headers?: Record<string, string>;
  body?: unknown;
  query?: Record<string, string>;
}

async function call(handler: ApiHandler, c: Call = {}) {
  const method = c.method ?? 'GET';
  const path = c.path ?? '/v1/challenge';
  const query = c.query ?? (path.startsWith('/v1/challenge') && method === 'GET' ? { tenant: 'shop' } : undefined);
  const event = apiEvent(method, path, { body: c.body, query });
  event.headers = { ...event.headers, 'user-agent': browser, ...c.headers };
  event.requestContext.http.sourceIp = c.from ?? EDGE;
  const result = (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
  return {
    status: result.statusCode ?? 200,
    headers: (result.headers ?? {}) as Record<string, string>,
    body: result.body ? JSON.parse(result.body) : undefined,
  };
}

/** A request as CloudFront forwards it: from an edge address, with the secret and the viewer's address. */
const viaEdge = (viewer: string, c: Call = {}): Call => ({
  ...c,
  from: c.from ?? EDGE,
  headers: { [ORIGIN_SECRET_HEADER]: ORIGIN_SECRET, [VIEWER_ADDRESS_HEADER]: `${viewer}:${40_000 + Math.floor(Math.random() * 20_000)}`, ...c.headers },
});

describe('public routes with the public edge on', () => {
  it('refuse a direct call without the origin secret: 403 with CORS, and the app never sees it', async () => {
    const direct: Call[] = [
      { method: 'GET', path: '/v1/challenge', from: ALICE },
      { method: 'GET', path: '/v1/challenge/', from: ALICE }, // the router serves the trailing slash too
      { method: 'POST', path: '/v1/device', from: ALICE, body: { fingerprint: 'fingerprint-0001' } },
      { method: 'POST', path: '/v1/device/', from: ALICE, body: { fingerprint: 'fingerprint-0001' } },
      { method: 'OPTIONS', path: '/v1/challenge', from: ALICE },
      { method: 'OPTIONS', path: '/v1/device', from: ALICE },
    ];
    for (const c of direct) {
      const res = await call(edgeOn, c);
      expect(res.status, `${c.method} ${c.path}`).toBe(403);
      expect(res.body).toMatchObject({ error: { code: 'PUBLIC_EDGE_REQUIRED' } });
      expect(res.headers['access-control-allow-origin']).toBe('*');
    }
    expect(seen).toEqual([]);
  });

  it('refuse a wrong secret, an empty one, and the secret under another header name', async () => {
    const wrong = ORIGIN_SECRET.slice(0, -1) + (ORIGIN_SECRET.endsWith('5') ? '6' : '5');
    const attempts: Record<string, string>[] = [{ [ORIGIN_SECRET_HEADER]: wrong }, { [ORIGIN_SECRET_HEADER]: '' }, { 'x-origin-verify': ORIGIN_SECRET }];
    for (const headers of attempts) {
      expect((await call(edgeOn, { from: ALICE, headers })).status).toBe(403);
    }
    expect(seen).toEqual([]);
  });

  it('answer CloudFront, counting the viewer address it reports: one viewer climbs, the next on the same edge does not', async () => {
    // Behind the edge every request comes from a CloudFront address, an AWS (hosting) network:
    // counted by that address, every person would get a harder challenge and share one budget.
    const first = await call(edgeOn, viaEdge(ALICE));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ level: 1 });
    let level = 1;
    for (let i = 0; i < 40; i++) level = (await call(edgeOn, viaEdge(ALICE, { from: `3.1.2.${i + 10}` }))).body.level;
    expect(level).toBe(2); // over 30 challenges this hour from Alice, whichever edge carried them
    expect((await call(edgeOn, viaEdge(BOB))).body).toMatchObject({ level: 1 });
    expect(seen.at(-1)?.requestContext.http.sourceIp).toBe(BOB);
  });

  it('take the viewer address as CloudFront writes it, IPv4 or IPv6, and answer the other public routes', async () => {
    await call(edgeOn, { ...viaEdge(ALICE), headers: { ...viaEdge(ALICE).headers, [VIEWER_ADDRESS_HEADER]: '2001:db8:1::7:443' } });
    expect(seen.at(-1)?.requestContext.http.sourceIp).toBe('2001:db8:1::7');
    await call(edgeOn, { ...viaEdge(ALICE), headers: { ...viaEdge(ALICE).headers, [VIEWER_ADDRESS_HEADER]: '[2001:db8:1::8]:443' } });
    expect(seen.at(-1)?.requestContext.http.sourceIp).toBe('2001:db8:1::8');
    const device = await call(edgeOn, viaEdge(BOB, { method: 'POST', path: '/v1/device', body: { fingerprint: 'fingerprint-0002' } }));
    expect(device.status).toBe(200);
    expect(seen.at(-1)?.requestContext.http.sourceIp).toBe(BOB);
    const preflight = await call(edgeOn, viaEdge(BOB, { method: 'OPTIONS', path: '/v1/device' }));
    expect(preflight.status).toBe(204);
  });

  it('refuse a forwarded request without one valid viewer address (400, CORS), instead of counting the edge', async () => {
    for (const value of [undefined, '', 'not-an-address', '81.2.69.10', '81.2.69.10:99999', `${ALICE}:443,${BOB}:443`, '999.1.1.1:443']) {
      const headers: Record<string, string> = { [ORIGIN_SECRET_HEADER]: ORIGIN_SECRET };
      if (value !== undefined) headers[VIEWER_ADDRESS_HEADER] = value;
      const res = await call(edgeOn, { headers });
      expect(res.status, String(value)).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'VIEWER_ADDRESS_INVALID' } });
      expect(res.headers['access-control-allow-origin']).toBe('*');
    }
    expect(seen).toEqual([]);
  });

  it('leave tenant routes alone: a backend calls the API directly, without the secret', async () => {
    expect((await call(edgeOn, { method: 'POST', path: '/v1/sms/send', from: ALICE, body: {} })).status).toBe(401);
    expect((await call(edgeOn, { method: 'GET', path: '/health', from: ALICE })).status).toBe(200);
  });

  it('never hand the secret or the viewer header to the app, on any route', async () => {
    await call(edgeOn, viaEdge(ALICE));
    await call(edgeOn, viaEdge(ALICE, { method: 'GET', path: '/health' }));
    await call(edgeOff, viaEdge(ALICE));
    expect(seen).toHaveLength(3);
    for (const event of seen) {
      const names = Object.keys(event.headers).map((h) => h.toLowerCase());
      expect(names).not.toContain(ORIGIN_SECRET_HEADER);
      expect(names).not.toContain(VIEWER_ADDRESS_HEADER);
    }
  });
});

describe('public routes while pages move to the edge (allowDirect)', () => {
  it('answer direct calls by their connection address, and CloudFront by the viewer address', async () => {
    const moving = guardPublicOrigin(
      async (event, ctx) => {
        seen.push(event);
        return app.handler(event, ctx);
      },
      { secret: ORIGIN_SECRET, allowDirect: true, logger: quiet },
    );
    expect((await call(moving, { from: ALICE })).status).toBe(200);
    expect(seen.at(-1)?.requestContext.http.sourceIp).toBe(ALICE);
    // A direct caller's own CloudFront-Viewer-Address, or a wrong secret, earns it nothing.
    await call(moving, { from: ALICE, headers: { [VIEWER_ADDRESS_HEADER]: `${BOB}:443`, [ORIGIN_SECRET_HEADER]: 'guess' } });
    expect(seen.at(-1)?.requestContext.http.sourceIp).toBe(ALICE);
    await call(moving, viaEdge(BOB));
    expect(seen.at(-1)?.requestContext.http.sourceIp).toBe(BOB);
  });
});

describe('public route answers a page can read', () => {
  it('expose Retry-After to the page (not a CORS-safelisted header), on answers and refusals alike', async () => {
    const answers = [
      await call(edgeOff, { from: ALICE }),
      await call(edgeOff, { from: ALICE, query: { tenant: 'no-such-tenant' } }),
      await call(edgeOn, { from: ALICE }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 404, 403]);
    for (const answer of answers) expect(answer.headers['access-control-expose-headers']).toBe('retry-after');
  });
});

describe('a spoofed CloudFront-Viewer-Address', () => {
  it('is ignored without the edge: the connection address is counted, so rotating the header buys nothing', async () => {
    let level = 1;
    for (let i = 0; i < 40; i++) {
      const res = await call(edgeOff, { from: ALICE, headers: { [VIEWER_ADDRESS_HEADER]: `90.9.${i}.1:443` } });
      expect(res.status).toBe(200);
      level = res.body.level;
    }
    expect(level).toBe(2);
    expect(new Set(seen.map((e) => e.requestContext.http.sourceIp))).toEqual(new Set([ALICE]));
  });

  it('is refused with the edge on when the secret is missing, whatever address it claims', async () => {
    const res = await call(edgeOn, { from: ALICE, headers: { [VIEWER_ADDRESS_HEADER]: `${BOB}:443` } });
    expect(res.status).toBe(403);
    expect(seen).toEqual([]);
  });
});

describe('public route list', () => {
  it('is exactly what the handler serves on the public paths (the construct deploys routes from it)', () => {
    const served = servedRoutes(app.handler).filter((r) => PUBLIC_PATHS.has(r.path));
    const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
    expect(served.map(key).sort()).toEqual(PUBLIC_ROUTES.map(key).sort());
  });
});
