/** Where the CLI talks to: a local or deployed SMS Shield, and the key to use. */
export interface ConnectionOptions {
  url: string;
  key?: string;
}

/**
 * One JSON request to the SMS Shield HTTP API with `Authorization: Bearer <key>` (`--key` or
 * `$SMS_SHIELD_KEY`). A non-2xx answer becomes an Error naming the status and each bad field.
 */
export async function request(opts: ConnectionOptions, method: string, path: string, body?: unknown): Promise<unknown> {
  const key = opts.key ?? process.env.SMS_SHIELD_KEY;
  if (!key) throw new Error('an API key is needed: --key or $SMS_SHIELD_KEY');
  let res: Response;
  try {
    res = await fetch(new URL(path, opts.url), {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new Error(`cannot reach ${opts.url}: ${(error as Error).message}`);
  }
  const payload = (await res.json().catch(() => ({}))) as { error?: { message?: string; details?: { fields?: Record<string, string> } } };
  if (!res.ok) {
    const fields = Object.entries(payload.error?.details?.fields ?? {}).map(([f, m]) => `${f} ${m}`);
    throw new Error(`${res.status} ${payload.error?.message ?? res.statusText}${fields.length ? `: ${fields.join('; ')}` : ''}`);
  }
  return payload;
}
