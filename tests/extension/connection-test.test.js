import { describe, expect, it } from 'vitest';
import { createConnectionTest } from '../../extension/src/background/connection-test.js';
import { fakeFetch, fakeStorageArea } from './fakes.js';

const SETTINGS = { backendUrl: 'https://labels.example.com', token: 'token-1234567890' };
const HEALTHY = {
  'GET /api/v1/health': { body: { status: 'ok', version: '0.1.0' } },
  'GET /api/v1/whoami': { body: { token: { name: 'bench-1' } } },
  'POST /api/v1/connection-test': { status: 404, body: { code: 'not_found', status: 404, message: 'Not found.' } },
};

function run(routes, settings = SETTINGS) {
  const fake = fakeFetch((url, init) => {
    const route = routes[`${init.method} ${url.pathname}`];
    if (route instanceof Error) throw route;
    return route;
  });
  const test = createConnectionTest({ storage: { local: fakeStorageArea(settings) }, fetchImpl: fake.fetchImpl, now: Date.now });
  return { result: test(), calls: fake.calls };
}

describe('Test connection', () => {
  it('reports the backend, the token and a not-yet-available upstream check', async () => {
    expect(await run(HEALTHY).result).toEqual({
      ok: true,
      steps: [
        { name: 'Backend', status: 'ok', message: 'Reachable (version 0.1.0).' },
        { name: 'Token', status: 'ok', message: 'Accepted (token “bench-1”).' },
        { name: 'Starshipit and CartonCloud', status: 'skipped', message: 'Not available on this backend yet.' },
      ],
    });
  });

  it('reports a degraded backend (its stored keys unreadable) as a failed step with the reason', async () => {
    const reason = 'Stored Starshipit or CartonCloud keys cannot be decrypted with the configured encryption keys.';
    const routes = { ...HEALTHY, 'GET /api/v1/health': { body: { status: 'degraded', version: '0.1.0', reason } } };
    const { steps, ok } = await run(routes).result;
    expect(ok).toBe(false);
    expect(steps).toEqual([{ name: 'Backend', status: 'failed', message: `Reachable (version 0.1.0), but not working: ${reason}` }]);
  });

  it("reports each of the backend's own upstream checks once that endpoint exists", async () => {
    const routes = {
      ...HEALTHY,
      'POST /api/v1/connection-test': {
        body: {
          ok: false,
          checks: [
            { name: 'CartonCloud', ok: true, message: 'Signed in to CartonCloud.' },
            { name: 'Starshipit (main)', ok: false, message: 'The keys work, but no courier is set up.' },
          ],
        },
      },
    };
    const { steps, ok } = await run(routes).result;
    expect(ok).toBe(false);
    expect(steps.slice(2)).toEqual([
      { name: 'CartonCloud', status: 'ok', message: 'Signed in to CartonCloud.' },
      { name: 'Starshipit (main)', status: 'failed', message: 'The keys work, but no courier is set up.' },
    ]);
  });

  it('reports an upstream check answer of another form in words, as a failed step', async () => {
    const routes = { ...HEALTHY, 'POST /api/v1/connection-test': { body: { ok: true, message: 'All good.' } } };
    const { steps, ok } = await run(routes).result;
    expect(ok).toBe(false);
    expect(steps[2]).toEqual({
      name: 'Starshipit and CartonCloud',
      status: 'failed',
      message: expect.stringContaining("answer to the connection test is not in the form this extension expects (the answer must have required property 'checks')"),
    });
  });

  it('reports a health answer of another form as a failed step and stops there', async () => {
    const { result, calls } = run({ ...HEALTHY, 'GET /api/v1/health': { body: { status: 'ok' } } });
    expect((await result).steps).toEqual([
      { name: 'Backend', status: 'failed', message: expect.stringContaining("the answer must have required property 'version'") },
    ]);
    expect(calls).toHaveLength(1);
  });

  it('reports a failing upstream check endpoint in its words', async () => {
    const routes = { ...HEALTHY, 'POST /api/v1/connection-test': { status: 503, body: { code: 'upstream_unavailable', message: 'Try later.' } } };
    const { steps, ok } = await run(routes).result;
    expect(ok).toBe(false);
    expect(steps[2]).toEqual({ name: 'Starshipit and CartonCloud', status: 'failed', message: 'Try later.' });
  });

  it('reports a wrong token in the backend’s words and stops there', async () => {
    const routes = { ...HEALTHY, 'GET /api/v1/whoami': { status: 401, body: { code: 'unauthorized', status: 401, message: 'The token is not valid.' } } };
    const { result, calls } = run(routes);
    expect(await result).toEqual({
      ok: false,
      steps: [
        { name: 'Backend', status: 'ok', message: 'Reachable (version 0.1.0).' },
        { name: 'Token', status: 'failed', message: 'The token is not valid.' },
      ],
    });
    expect(calls).toHaveLength(2);
  });

  it('reports an unreachable backend', async () => {
    const { steps } = await run({ ...HEALTHY, 'GET /api/v1/health': new TypeError('Failed to fetch') }).result;
    expect(steps).toEqual([{ name: 'Backend', status: 'failed', message: expect.stringContaining('Could not reach') }]);
  });

  it('asks for settings first', async () => {
    await expect(run(HEALTHY, {}).result).rejects.toMatchObject({ code: 'not_configured' });
  });
});
