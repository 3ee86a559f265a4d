import { challengeQuerySchema, deviceRequestSchema, type ManMachine } from '../challenge/man-machine';
import { json } from './middleware/http-errors';
import { route, validate, type ApiRoute } from './routing';

/**
 * CORS for the public routes the browser SDK calls from the tenant's own pages. Any origin:
 * these routes take no credentials and reveal nothing; what they hand out is only worth
 * something together with the tenant's backend, which holds the API key.
 */
const PUBLIC_CORS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '86400',
};

/** Routes the browser calls directly: no API key (a page cannot keep one secret), CORS, preflight. */
export function publicRoutes(manMachine: ManMachine): ApiRoute[] {
  const preflight = async () => ({ statusCode: 204, headers: PUBLIC_CORS, body: '' });
  return [
    route('OPTIONS', '/v1/challenge', preflight),
    route('OPTIONS', '/v1/device', preflight),
    route('GET', '/v1/challenge', async (event) => {
      const query = validate(challengeQuerySchema, event.queryStringParameters ?? {});
      const challenge = await manMachine.challenge({
        tenant: query.tenant,
        level: query.level,
        ip: event.requestContext?.http?.sourceIp,
        userAgent: event.headers?.['user-agent'],
      });
      return json(200, challenge, PUBLIC_CORS);
    }),
    route('POST', '/v1/device', async (event) => {
      const request = validate(deviceRequestSchema, event.parsedBody);
      return json(200, manMachine.device(request, event.headers?.['user-agent']), PUBLIC_CORS);
    }),
  ];
}

