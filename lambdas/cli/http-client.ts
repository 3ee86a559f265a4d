import { Option } from 'commander';

/** Where the CLI talks to: a local or deployed SMS Shield, and the key to use. */
export interface ConnectionOptions {
  url: string;
  key?: string;
}

/** The environment variables the CLI reads, by what they hold. Each help line names the one its option falls back to. */
export const CLI_ENV = {
  /** Base URL of the shield (`--url`). */
  url: 'SMS_SHIELD_URL',
  /** An admin key (`--key` of `tenants`, `feed`, and `lists --scope`). */
  adminKey: 'SMS_SHIELD_ADMIN_KEY',
  /** A tenant API key (`--key` of `lists` without `--scope`). */
  tenantKey: 'SMS_SHIELD_KEY',
  /** The alliance secret (`--alliance-key` of `feed export|import`). */
  allianceKey: 'SMS_SHIELD_ALLIANCE_KEY',
  /** Path of this deployment's private feed-signing key (`--signing-key` of `feed export`). */
  feedSigningKey: 'SMS_SHIELD_FEED_SIGNING_KEY',
  /** Path of the alliance's members file (`--members` of `feed export|import`). */
  feedMembers: 'SMS_SHIELD_FEED_MEMBERS',
} as const;

/** Where `--url` points when neither it nor `$SMS_SHIELD_URL` is given: `npm start`. */
export const DEFAULT_URL = 'http://127.0.0.1:8787';

/** `--url`, falling back to `$SMS_SHIELD_URL`, then to local mode; the help line says so. */
export function urlOption(): Option {
  return new Option('--url <url>', 'SMS Shield base URL').env(CLI_ENV.url).default(DEFAULT_URL);
}

/** `--key` for the admin routes, falling back to `$SMS_SHIELD_ADMIN_KEY` (never to a tenant key). */
export function adminKeyOption(): Option {
  return new Option('--key <key>', 'admin key').env(CLI_ENV.adminKey);
}

/** The connection with its key, or an error naming the flag and the variable that would have given one. */
export function withKey(opts: ConnectionOptions, variable: string, what = 'an API key'): ConnectionOptions & { key: string } {
  if (!opts.key) throw new Error(`${what} is needed: --key or $${variable}`);
  return { url: opts.url, key: opts.key };
}

/** Hosts a key may travel to over plain http: this machine only (local mode listens on loopback). */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The base URL, checked before any key leaves: http(s) only, and plain http only to this
 * machine — anywhere else the key would cross the network in clear text.
 */
export function baseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--url must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`--url must be an http(s) URL, got ${JSON.stringify(url)}`);
  if (parsed.protocol === 'http:' && !LOOPBACK_HOST.test(parsed.hostname)) {
    throw new Error(`--url ${parsed.origin}: not sending a key over plain http to another machine; use https`);
  }
  return parsed;
}

/**
 * One JSON request to the SMS Shield HTTP API with `Authorization: Bearer <key>`. The caller
 * resolves the key (flag, then the variable its help names); none reads the environment here.
 * A non-2xx answer becomes an Error naming the status and each bad field.
 */
export async function request(opts: ConnectionOptions, method: string, path: string, body?: unknown): Promise<unknown> {
  if (!opts.key) throw new Error('an API key is needed: --key');
  const base = baseUrl(opts.url);
  let res: Response;
  try {
    res = await fetch(new URL(path, base), {
      method,
      headers: { authorization: `Bearer ${opts.key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new Error(`cannot reach ${base.origin}: ${(error as Error).message}`);
  }
  const payload = (await res.json().catch(() => ({}))) as { error?: { message?: string; details?: { fields?: Record<string, string> } } };
  if (!res.ok) {
    const fields = Object.entries(payload.error?.details?.fields ?? {}).map(([f, m]) => `${f} ${m}`);
    throw new Error(`${res.status} ${payload.error?.message ?? res.statusText}${fields.length ? `: ${fields.join('; ')}` : ''}`);
  }
  return payload;
}
