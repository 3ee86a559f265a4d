/**
 * What the clients do with a key and a URL when someone gets things wrong on purpose or by
 * accident: a logged client, a pasted key with a line break, a plain-http or crafted base URL, a
 * redirect towards another host.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ShieldAdminClient, ShieldClient, ShieldClientError, ShieldHttpError, ShieldPublicClient, ShieldTimeoutError } from '../../client/src/index';
import { hangingFetch, stubFetch } from '../support/stub-fetch';

const API_KEY = 'ssk_live_2b7e151628aed2a6abf7158809cf4f3c';
const ADMIN_KEY = 'ssk_admin_3c4fcf098815f7aba6d2ae2816157e2b';
const refusal = (make: () => unknown) => {
  try {
    make();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('client safety', () => {
  it('never shows its key when logged, inspected or serialized', () => {
    const { fetch } = stubFetch();
    for (const [client, key] of [
      [new ShieldClient({ baseUrl: 'https://shield.test', apiKey: API_KEY, fetch }), API_KEY],
      [new ShieldAdminClient({ baseUrl: 'https://shield.test', adminKey: ADMIN_KEY, fetch }), ADMIN_KEY],
    ] as const) {
      expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(key);
      expect(JSON.stringify(client)).not.toContain(key);
      expect(String(client)).not.toContain(key);
    }
  });

  it('refuses a key that could break a header, without quoting it', async () => {
    const { fetch, requests } = stubFetch();
    for (const apiKey of [`${API_KEY}\r\nx-admin: 1`, `${API_KEY} `, 'ssk_ä', '']) {
      const error = refusal(() => new ShieldClient({ baseUrl: 'https://shield.test', apiKey, fetch }));
      expect(error).toBeInstanceOf(ShieldClientError);
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
      if (apiKey) expect((error as Error).message).not.toContain(API_KEY);
    }
    expect(refusal(() => new ShieldAdminClient({ baseUrl: 'https://shield.test', adminKey: undefined as unknown as string, fetch }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'ShieldAdminClient: adminKey is required',
    });
    expect(requests).toHaveLength(0);
  });

  it('sends a key only over https, or plain http to loopback, unless told otherwise', () => {
    const { fetch } = stubFetch();
    const make = (baseUrl: string, allowInsecureHttp?: boolean) => () => new ShieldClient({ baseUrl, apiKey: API_KEY, fetch, allowInsecureHttp });
    for (const ok of ['https://abc.execute-api.eu-west-1.amazonaws.com', 'http://127.0.0.1:8787', 'http://localhost:8787/', 'http://[::1]:8787']) {
      expect(refusal(make(ok)), ok).toBeUndefined();
    }
    for (const bad of [
      'http://shield.example.com',
      'http://10.0.0.5:8787',
      'ftp://shield.test',
      'shield.test',
      'https://user:pw@shield.test',
      'https://shield.test/?x=1',
      'https://shield.test/#a',
    ]) {
      const error = refusal(make(bad));
      expect(error, bad).toBeInstanceOf(ShieldClientError);
      expect(error, bad).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect((error as Error).message, bad).not.toContain(API_KEY);
    }
    expect(refusal(make('http://shield.internal:8787', true))).toBeUndefined();
  });

  it('keeps every request on the base URL origin, whatever the base path', async () => {
    const { fetch, requests } = stubFetch(() => ({ status: 200, body: { status: 'ok' } }));
    await new ShieldClient({ baseUrl: 'https://shield.test//evil.test', apiKey: API_KEY, fetch }).health();
    await new ShieldClient({ baseUrl: 'https://shield.test/stage///', apiKey: API_KEY, fetch }).health();
    expect(requests.map((r) => r.url.href)).toEqual(['https://shield.test//evil.test/health', 'https://shield.test/stage/health']);
  });

  it('sends no key to the routes that take none', async () => {
    const { fetch, requests } = stubFetch();
    const shield = new ShieldClient({ baseUrl: 'https://shield.test', apiKey: API_KEY, fetch });
    const admin = new ShieldAdminClient({ baseUrl: 'https://shield.test', adminKey: ADMIN_KEY, fetch });
    await shield.health();
    await shield.openApi();
    await admin.health();
    await new ShieldPublicClient({ baseUrl: 'https://shield.test', fetch }).device({ fingerprint: 'fp-12345678' });
    expect(requests.map((r) => r.headers.get('authorization'))).toEqual([null, null, null, null]);
  });

  it('does not follow a redirect: it becomes an error and the key goes nowhere else', async () => {
    const { fetch, requests } = stubFetch(() => new Response(null, { status: 307, headers: { location: 'https://collector.test/v1/verdicts' } }));
    const shield = new ShieldClient({ baseUrl: 'https://shield.test', apiKey: API_KEY, fetch });
    const error = await shield.verdict({ phone: '+44 7400 123456', scenario: 'login', ip: '81.2.69.142' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShieldHttpError);
    expect(error).toMatchObject({ status: 307, code: 'HTTP_307' });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.redirect).toBe('manual');
  });

  it('puts neither the phone number of a list entry nor the query into an error message', async () => {
    const shield = new ShieldClient({ baseUrl: 'https://shield.test', apiKey: API_KEY, fetch: hangingFetch(), timeoutMs: 20 });
    const error = await shield.lists.remove('number', '+44 7400 123456').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShieldTimeoutError);
    expect(error).toMatchObject({ path: '/v1/lists' });
    expect(`${(error as Error).message} ${inspect(error)}`).not.toMatch(/7400|kind=|value=/);
  });

  it('refuses a timeout that is not a whole number of milliseconds in range', () => {
    const { fetch } = stubFetch();
    for (const timeoutMs of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      expect(
        refusal(() => new ShieldClient({ baseUrl: 'https://shield.test', apiKey: API_KEY, fetch, timeoutMs })),
        String(timeoutMs),
      ).toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
  });
});
