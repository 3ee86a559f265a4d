/** One request a stub `fetch` received: what the client under test put on the wire. */
export interface StubRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: unknown;
  readonly redirect: RequestInit['redirect'];
}

export type StubAnswer = { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> } | Response;

/**
 * A `fetch` that answers from `answer` (200 `{}` by default) and records every request, for
 * client tests that need no server. A string body is sent as is (not JSON-encoded).
 */
export function stubFetch(answer: (request: StubRequest) => StubAnswer | Promise<StubAnswer> = () => ({ status: 200, body: {} })) {
  const requests: StubRequest[] = [];
  const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const text = typeof init.body === 'string' ? init.body : undefined;
    const request: StubRequest = {
      method: init.method ?? 'GET',
      url: new URL(String(input)),
      headers: new Headers(init.headers),
      body: text === undefined ? undefined : JSON.parse(text),
      redirect: init.redirect,
    };
    requests.push(request);
    const answered = await answer(request);
    if (answered instanceof Response) return answered;
    const body = answered.body === undefined ? null : typeof answered.body === 'string' ? answered.body : JSON.stringify(answered.body);
    return new Response(body, { status: answered.status, headers: { 'content-type': 'application/json', ...answered.headers } });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

/** A `fetch` that never answers: its promise rejects only when the request's signal aborts (as real `fetch` does). */
export function hangingFetch(): typeof globalThis.fetch {
  return ((_input: unknown, init: RequestInit = {}) =>
    new Promise<Response>((_resolve, reject) => {
      const signal = init.signal;
      if (!signal) return;
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    })) as typeof globalThis.fetch;
}
