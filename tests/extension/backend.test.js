import { describe, expect, it } from 'vitest';
import { createBackendClient } from '../../extension/src/background/backend.js';
import { fakeFetch } from './fakes.js';

const BACKEND = 'https://labels.example.com';
const clientFor = (respond, now = () => Date.parse('2026-11-25T10:00:00Z')) => {
  const fake = fakeFetch(respond);
  return { client: createBackendClient({ backendUrl: BACKEND, token: 'secret-token-123', fetchImpl: fake.fetchImpl, now }), calls: fake.calls };
};

describe('requests', () => {
  it('sends the bearer token, JSON and the query', async () => {
    const { client, calls } = clientFor(() => ({ body: { ok: 1 } }));
    await client.requestJson('POST', '/api/v1/labels', { query: { a: 'b c' }, body: { x: 1 }, headers: { 'Idempotency-Key': 'k' } });
    const [{ url, init }] = calls;
    expect(url.toString()).toBe('https://labels.example.com/api/v1/labels?a=b+c');
    expect(init.headers).toMatchObject({ Authorization: 'Bearer secret-token-123', 'Content-Type': 'application/json', 'Idempotency-Key': 'k' });
    expect(JSON.parse(init.body)).toEqual({ x: 1 });
    expect(init.credentials).toBe('omit');
  });

  it('leaves the token off unauthorized calls (health)', async () => {
    const { client, calls } = clientFor(() => ({ body: { status: 'ok' } }));
    await client.requestJson('GET', '/api/v1/health', { authorized: false });
    expect(calls[0].init.headers.Authorization).toBeUndefined();
  });

  it('keeps a path prefix of the backend address', async () => {
    const fake = fakeFetch(() => ({ body: {} }));
    const client = createBackendClient({ backendUrl: 'https://h.example/lb', token: 't', fetchImpl: fake.fetchImpl });
    await client.requestJson('GET', '/api/v1/whoami');
    expect(fake.calls[0].url.pathname).toBe('/lb/api/v1/whoami');
  });
});

describe('errors in words', () => {
  it("uses the backend's error shape", async () => {
    const body = { code: 'sale_order_not_shippable', status: 422, message: 'This sale order cannot be shipped: no street.', errors: { 'a.b': ['no street'] } };
    const { client } = clientFor(() => ({ status: 422, body }));
    await expect(client.requestJson('POST', '/api/v1/labels')).rejects.toMatchObject({
      code: 'sale_order_not_shippable', status: 422, message: body.message, retryable: false, fields: body.errors,
    });
  });

  it.each([
    [409, '2', true, 2],
    [429, '7', true, 7],
    [503, 'Wed, 25 Nov 2026 10:00:30 GMT', true, 30],
    [502, null, false, null],
    [401, null, false, null],
  ])('HTTP %i with Retry-After %s → retryable %s after %s s', async (status, retryAfter, retryable, seconds) => {
    const headers = retryAfter ? { 'Retry-After': retryAfter } : {};
    const { client } = clientFor(() => ({ status, headers, body: { code: 'x', message: 'words' } }));
    await expect(client.requestJson('GET', '/x')).rejects.toMatchObject({ status, retryable, retryAfter: seconds });
  });

  it('says so when an error has no readable message (a proxy page)', async () => {
    const { client } = clientFor(() => ({ status: 502, raw: '<html>Bad gateway</html>', headers: { 'Content-Type': 'text/html' } }));
    await expect(client.requestJson('GET', '/x')).rejects.toMatchObject({ code: 'http_502', message: expect.stringMatching(/HTTP 502/) });
  });

  it('refuses a 200 that is not JSON', async () => {
    const { client } = clientFor(() => ({ raw: '<html>login</html>' }));
    await expect(client.requestJson('GET', '/x')).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('names the address when the backend cannot be reached, retryable', async () => {
    const { client } = clientFor(() => {
      throw new TypeError('Failed to fetch');
    });
    await expect(client.requestJson('GET', '/x')).rejects.toMatchObject({
      code: 'backend_unreachable', retryable: true, message: expect.stringContaining(BACKEND),
    });
  });

  it('reports a timeout, retryable', async () => {
    const { client } = clientFor(() => {
      throw new DOMException('timed out', 'TimeoutError');
    });
    await expect(client.requestJson('GET', '/x', { timeoutMs: 8000 })).rejects.toMatchObject({
      code: 'backend_timeout', retryable: true, message: expect.stringContaining('8 seconds'),
    });
  });

  it('never puts the token in a message', async () => {
    const { client } = clientFor(() => {
      throw new TypeError('Failed to fetch');
    });
    await expect(client.requestJson('GET', '/x')).rejects.not.toMatchObject({ message: expect.stringContaining('secret-token-123') });
  });
});
