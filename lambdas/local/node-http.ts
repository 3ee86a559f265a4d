import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ShieldApp } from '../handlers/compose';
import type { ServiceLogger } from '../service/shield-service';
import { LocalStartError } from './start-checks';

export interface NodeHttpOptions {
  readonly port: number;
  readonly host: string;
  /** Bodies larger than this are answered 413 by the handler, without being read further. */
  readonly maxBodyBytes: number;
  readonly logger: ServiceLogger;
}

/**
 * The Lambda handler behind `node:http`, as API Gateway calls it: each request becomes an
 * HTTP API v2 event and the structured result becomes the response. Resolves once listening.
 */
export async function serveOverHttp(app: ShieldApp, options: NodeHttpOptions): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    handle(app, req, res, options.maxBodyBytes).catch((error: unknown) => {
      options.logger.error('Local server failure', { error: String(error) });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL_ERROR', message: 'Internal error' } }));
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  await listen(server, options.port, options.host);
  const { port } = server.address() as AddressInfo;
  return { server, port };
}

/**
 * Request ids (16 hex digits, as before): a random prefix per process and a counter, so they are
 * unique across restarts without a call for random bytes per request (two per request cost
 * about as much as the routing). They name a request in logs; nothing relies on guessing them.
 */
const ID_PREFIX = randomBytes(4).toString('hex');
let requestCount = 0;

function requestId(): string {
  requestCount = (requestCount + 1) % 0x1_0000_0000;
  return `${ID_PREFIX}${requestCount.toString(16).padStart(8, '0')}`;
}

/** A Lambda context for one local invocation. */
export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'sms-shield-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:sms-shield-local',
    memoryLimitInMB: '1024',
    awsRequestId: requestId(),
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => reject(listenProblem(error, port, host) ?? error);
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

/** A port that cannot be listened on, in one line that says what to do; undefined for other failures. */
function listenProblem(error: NodeJS.ErrnoException, port: number, host: string): LocalStartError | undefined {
  if (error.code === 'EADDRINUSE') {
    return new LocalStartError(`port ${port} is already in use on ${host} — stop the other process or set PORT=<free port> (or --port)`, { cause: error });
  }
  if (error.code === 'EACCES') {
    return new LocalStartError(`port ${port} on ${host} needs privileges this user does not have — use a port above 1023 (PORT=8787)`, { cause: error });
  }
  return undefined;
}

/**
 * Read at most `limit` bytes; `truncated` tells the handler the body was larger. Reading
 * stops there, so an oversized body costs no memory; the connection is closed after the reply.
 */
function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      const room = limit - size;
      size += chunk.length;
      if (size > limit) {
        chunks.push(chunk.subarray(0, Math.max(0, room)));
        req.off('data', onData);
        req.pause();
        resolve({ body: Buffer.concat(chunks), truncated: true });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve({ body: Buffer.concat(chunks), truncated: false }));
    req.once('error', reject);
  });
}

async function handle(app: ShieldApp, req: IncomingMessage, res: ServerResponse, maxBodyBytes: number): Promise<void> {
  const sourceIp = req.socket.remoteAddress ?? '127.0.0.1';
  // Read one byte past the limit so the handler's own size check answers 413.
  const { body, truncated } = await readBody(req, maxBodyBytes + 1);
  const url = new URL(req.url ?? '/', 'http://local');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const event = toApiGatewayEvent(req.method ?? 'GET', url, headers, body, sourceIp);
  const result = (await app.handler(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
  const responseHeaders: Record<string, string | number | boolean> = { ...(result.headers ?? {}) };
  if (truncated) responseHeaders.connection = 'close';
  res.writeHead(result.statusCode ?? 200, responseHeaders as Record<string, string>);
  res.end(result.body ?? '', () => {
    if (truncated) req.destroy();
  });
}

function toApiGatewayEvent(method: string, url: URL, headers: Record<string, string>, body: Buffer, sourceIp: string): APIGatewayProxyEventV2 {
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, key) => {
    query[key] = value;
  });
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    body: body.length > 0 ? body.toString('base64') : undefined,
    isBase64Encoded: body.length > 0,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: requestId(),
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
  };
}
