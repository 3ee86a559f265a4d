import { createServer, type Server, type Socket } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * How DynamoDB misbehaves while faults are on:
 * - `throughput`, `throttling`: it answers HTTP 400 with `ProvisionedThroughputExceededException`
 *   or `ThrottlingException`, as the real service does; the SDK's own deserializer turns that
 *   into its error class (with `$fault`, `$retryable`, `$metadata`) and its retry strategy retries it;
 * - `server-error`: HTTP 500 `InternalServerError` (a transient error);
 * - `hang`: the request goes to a socket that accepts and never answers, so only the client's
 *   own timeouts end it;
 * - `refused`: the request goes to a closed port (`ECONNREFUSED`).
 */
export type StoreFault = 'throughput' | 'throttling' | 'server-error' | 'hang' | 'refused';

/** A switch for faults injected into one SDK client, and what the client tried meanwhile. */
export interface FaultInjector {
  /**
   * Start failing every command, or only `commands` (e.g. `['UpdateItem']`), and with `keys`
   * only the commands whose item key (`Key.pk`) it accepts: one hot key, the rest served.
   */
  fail(fault: StoreFault, commands?: readonly string[], keys?: (key: string) => boolean): void;
  /** Stop failing. */
  heal(): void;
  /** Commands sent through the client (`send` calls), by command name, since the last `reset`. */
  readonly invocations: Map<string, number>;
  /** HTTP attempts (retries included) that hit a fault, by command name, since the last `reset`. */
  readonly faultedAttempts: Map<string, number>;
  /** Forget the counts. */
  reset(): void;
  /**
   * Resolves once no command is in flight. A request can be answered before its last retries
   * end (one failed call of a parallel wave decides), so counts are exact only after this.
   */
  idle(): Promise<void>;
  /** Total of a count map. */
  total(counts: ReadonlyMap<string, number>): number;
  /** Close the black-hole server and the sockets it holds. */
  close(): Promise<void>;
}

const ERRORS: Record<'throughput' | 'throttling' | 'server-error', { status: number; type: string; message: string }> = {
  throughput: {
    status: 400,
    type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message: 'The level of configured provisioned throughput for the table was exceeded.',
  },
  throttling: { status: 400, type: 'com.amazon.coral.availability#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' },
  'server-error': { status: 500, type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' },
};

interface WireRequest {
  hostname?: string;
  port?: number;
}

/**
 * Adds a fault injector to `client.middlewareStack`, in the deserialize step after the
 * deserializer: it sees every HTTP attempt (the retry middleware sits before it), and what it
 * answers goes through the SDK's real error parsing and retry strategy.
 */
export async function injectFaults(client: DynamoDBClient): Promise<FaultInjector> {
  const held = new Set<Socket>();
  const blackHole: Server = createServer((socket) => {
    held.add(socket);
    socket.on('close', () => held.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  const blackHolePort = (blackHole.address() as { port: number }).port;
  // A port that refuses: bind one, note it, release it.
  const refusedPort = await new Promise<number>((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

  let active: { fault: StoreFault; commands?: ReadonlySet<string>; keys?: (key: string) => boolean } | undefined;
  const invocations = new Map<string, number>();
  const faultedAttempts = new Map<string, number>();
  const bump = (counts: Map<string, number>, name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
  const nameOf = (commandName: string | undefined) => (commandName ?? '?').replace(/Command$/, '');

  let inFlight = 0;
  const waiters: (() => void)[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      bump(invocations, nameOf(context.commandName));
      inFlight++;
      try {
        return await next(args);
      } finally {
        if (--inFlight === 0) for (const wake of waiters.splice(0)) wake();
      }
    },
    { step: 'initialize', name: 'countInvocations', priority: 'high' },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = nameOf(context.commandName);
      if (!active || (active.commands && !active.commands.has(command))) return next(args);
      if (active.keys && !active.keys((args.input as { Key?: { pk?: { S?: string } } }).Key?.pk?.S ?? '')) return next(args);
      bump(faultedAttempts, command);
      const { fault } = active;
      if (fault === 'hang' || fault === 'refused') {
        // A copy: the retry middleware reuses the request, and a retry after `heal` must reach the store.
        const request = args.request as WireRequest;
        const redirected = Object.assign(Object.create(Object.getPrototypeOf(request) as object) as WireRequest, request, {
          hostname: '127.0.0.1',
          port: fault === 'hang' ? blackHolePort : refusedPort,
        });
        return next({ ...args, request: redirected });
      }
      const error = ERRORS[fault];
      const body = Buffer.from(JSON.stringify({ __type: error.type, message: error.message }));
      const response = {
        statusCode: error.status,
        reason: error.status === 400 ? 'Bad Request' : 'Internal Server Error',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `fault-${Date.now()}`, 'content-length': String(body.length) },
        body,
      };
      return { response, output: undefined } as unknown as Awaited<ReturnType<typeof next>>;
    },
    { step: 'deserialize', name: 'injectStoreFaults', priority: 'low' },
  );

  return {
    fail(fault, commands, keys) {
      active = { fault, ...(commands && { commands: new Set(commands) }), ...(keys && { keys }) };
    },
    heal() {
      active = undefined;
    },
    invocations,
    faultedAttempts,
    reset() {
      invocations.clear();
      faultedAttempts.clear();
    },
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    total: (counts) => [...counts.values()].reduce((a, b) => a + b, 0),
    async close() {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => blackHole.close(() => resolve()));
    },
  };
}
