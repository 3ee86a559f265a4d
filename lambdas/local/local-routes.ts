import { randomInt } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { sdkBundle } from '../../sdk/build';
import type { OutboxSender } from '../adapters/local/outbox-sender';
import type { ShieldApp } from '../handlers/compose';
import { authenticate, route, validate, type ApiRoute } from '../handlers/http-api';
import { json } from '../handlers/middleware/http-errors';
import type { TenantDirectory } from '../service/tenant-directory';
import { demoPage } from './demo-page';
import { DEMO_TENANT } from './local-keys';
import { lambdaContext } from './node-http';

/** The demo page's backend: the app to call and the demo tenant's own key, never shown to the browser. */
export interface DemoBackend {
  readonly app: ShieldApp;
  readonly apiKey: string;
}

/**
 * The routes only local mode serves, next to the API: each tenant's outbox, the browser SDK,
 * the demo page and its backend. `backend` is read per request: the app it calls is built
 * with these routes.
 */
export function localRoutes(directory: TenantDirectory, outbox: OutboxSender, backend: () => DemoBackend): ApiRoute[] {
  return [
    // Local mode only: what each tenant's SMS would have been.
    route('GET', '/v1/outbox', async (event) => {
      const { tenant } = await authenticate(directory, event);
      return json(200, { messages: outbox.list(tenant.id) });
    }),
    ...demoRoutes(backend),
  ];
}

const demoSendSchema = z.strictObject({
  phone: z.string().trim().min(1).max(64),
  challenge: z.string().max(8192).optional(),
  device: z.string().max(4096).optional(),
});

/**
 * Local mode only: the browser SDK at `/v1/sdk.js`, the demo page at `/demo`, and the demo
 * page's backend at `/demo/send`, which does what a tenant's backend does: adds the end
 * user's IP and user agent and the tenant's API key, and calls `/v1/sms/send` (through the
 * same handler, so validation, verdict and response mapping are the real ones).
 */
function demoRoutes(backend: () => DemoBackend): ApiRoute[] {
  return [
    route('GET', '/v1/sdk.js', async () => {
      const { code } = await sdkBundle();
      return {
        statusCode: 200,
        headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'access-control-allow-origin': '*' },
        body: code,
      };
    }),
    route('GET', '/demo', async () => ({
      statusCode: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
      body: demoPage(DEMO_TENANT),
    })),
    route('POST', '/demo/send', async (event) => {
      const input = validate(demoSendSchema, event.parsedBody);
      const { app, apiKey } = backend();
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const body = JSON.stringify({
        phone: input.phone,
        scenario: 'register',
        ip: event.requestContext.http.sourceIp,
        userAgent: event.headers['user-agent'] ?? '',
        ...(input.device && { device: input.device }),
        ...(input.challenge && { challenge: input.challenge }),
        message: `Your SMS Shield demo code is ${code}`,
      });
      const forwarded: APIGatewayProxyEventV2 = {
        ...event,
        rawPath: '/v1/sms/send',
        rawQueryString: '',
        queryStringParameters: undefined,
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'user-agent': 'sms-shield-demo-backend' },
        body: Buffer.from(body).toString('base64'),
        isBase64Encoded: true,
        requestContext: { ...event.requestContext, http: { ...event.requestContext.http, method: 'POST', path: '/v1/sms/send' } },
      };
      return app.handler(forwarded, lambdaContext());
    }),
  ];
}
