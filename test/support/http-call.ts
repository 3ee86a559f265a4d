/**
 * One JSON request to a server on 127.0.0.1 (the local server of the end-to-end tests), with the
 * tenant or admin key as a Bearer token when given. The answer's body must be JSON.
 */
export async function callJson(
  baseUrl: string,
  method: string,
  path: string,
  key: string | undefined,
  body?: unknown,
): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: { ...(key !== undefined && { authorization: `Bearer ${key}` }), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
