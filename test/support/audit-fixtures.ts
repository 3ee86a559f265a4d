import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_TENANT, startLocalServer, type LocalServer } from '../../lambdas/local/server';
import type { ServiceLogger } from '../../lambdas/service/shield-service';
import { testGeo } from './engine';

/** An SMS-sending endpoint for `sms-shield audit` to probe, counting every request it receives. */
export interface AuditTarget {
  /** `POST` here to ask for a code. */
  readonly url: string;
  /** Requests received so far (any method, any body). */
  requests(): number;
  close(): Promise<void>;
}

/** The end user's address the protected app reports: a GB residential address in `testGeo`. */
export const PROTECTED_CLIENT_IP = '81.2.69.142';

/**
 * A deliberately vulnerable "send me a code" endpoint with every weakness the audit looks for:
 * no limit of any kind, any string accepted as a number (spellings, invalid, premium-rate,
 * foreign), no bot check, the number echoed back, `X-Powered-By: Express`, and a stack trace
 * with internal paths on a malformed body.
 */
export async function startVulnerableEndpoint(): Promise<AuditTarget> {
  let count = 0;
  const server = createServer((req, res) => {
    count++;
    void readBody(req).then((raw) => {
      res.setHeader('x-powered-by', 'Express');
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch (error) {
        const e = error as Error;
        return reply(res, 500, {
          error: `${e.name}: ${e.message}\n    at JSON.parse (<anonymous>)\n    at sendCode (/srv/sms-app/src/routes/send-code.js:14:22)\n    at Layer.handle [as handle_request] (/srv/sms-app/node_modules/express/lib/router/layer.js:95:5)`,
        });
      }
      reply(res, 200, { ok: true, message: `Code sent to ${String(body.phone ?? body.to ?? '')}` });
    });
  });
  return target(server, '/send-code', () => count);
}

/**
 * A customer's own `/send-code` in front of the real SMS Shield (local server, dynalite, test
 * geo table): it adds what its backend knows (the end user's IP and user agent, scenario,
 * message, its region `GB` for national spellings) and answers the browser with a generic
 * body per verdict: 200 sent, 428 challenge, 429 try later, 403 refused, 400 invalid request.
 * The demo tenant serves GB and US numbers (`countries.allow`), as a UK service with US
 * customers would; everything else is SMS Shield's default policy.
 */
export async function startProtectedEndpoint(): Promise<AuditTarget & { readonly shield: LocalServer }> {
  const dir = await mkdtemp(join(tmpdir(), 'sms-shield-audit-'));
  const logger: ServiceLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const shield = await startLocalServer({ port: 0, dataDir: dir, logger, geo: testGeo, jointDefenseEveryMs: 0, print: () => undefined });
  const demo = await shield.tenantStore.getTenant(DEMO_TENANT);
  await shield.tenantStore.putTenant({ ...demo!, policy: { countries: { allow: ['GB', 'US'] } } });
  const key = shield.demoApiKey!;

  let count = 0;
  const server = createServer((req, res) => {
    count++;
    void (async () => {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(await readBody(req)) as Record<string, unknown>;
      } catch {
        return reply(res, 400, { status: 'invalid_request' });
      }
      if (typeof body.phone !== 'string') return reply(res, 400, { status: 'invalid_request' });
      const verdict = await fetch(`${shield.url}/v1/sms/send`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          phone: body.phone,
          country: 'GB',
          scenario: 'register',
          // Behind the app's proxy every test client is the same end user at this address.
          ip: PROTECTED_CLIENT_IP,
          userAgent: req.headers['user-agent'] ?? '',
          ...(typeof body.device === 'string' && { device: body.device }),
          ...(typeof body.challenge === 'string' && { challenge: body.challenge }),
          message: 'Your code is 123456',
        }),
      });
      await verdict.arrayBuffer();
      switch (verdict.status) {
        case 200:
          return reply(res, 200, { status: 'sent' });
        case 428:
          return reply(res, 428, { status: 'challenge_required' });
        case 429:
          res.setHeader('retry-after', verdict.headers.get('retry-after') ?? '60');
          return reply(res, 429, { status: 'try_later' });
        case 403:
          return reply(res, 403, { status: 'refused' });
        case 400:
          return reply(res, 400, { status: 'invalid_request' });
        default:
          return reply(res, 503, { status: 'unavailable' });
      }
    })().catch(() => reply(res, 503, { status: 'unavailable' }));
  });
  const app = await target(server, '/send-code', () => count);
  return {
    ...app,
    shield,
    close: async () => {
      await app.close();
      await shield.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function target(server: Server, path: string, requests: () => number): Promise<AuditTarget> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
