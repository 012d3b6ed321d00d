/**
 * The popup's Test connection, done by the worker (the only caller of the backend):
 * backend reachable → token accepted → the backend's own check of Starshipit and CartonCloud.
 * Each step is reported; the first failure stops the rest.
 */
import { getSettings, isConfigured } from '../shared/settings.js';
import { BackendError, NOT_CONFIGURED, createBackendClient } from './backend.js';

const STEP = Object.freeze({ OK: 'ok', FAILED: 'failed', SKIPPED: 'skipped' });

const UPSTREAM_STEP = 'Starshipit and CartonCloud';

/**
 * The backend's own upstream check as steps: one per entry of its `checks`
 * ([{name, ok, message}]), or one step for the whole answer when it has no such list.
 */
function upstreamSteps(body) {
  if (Array.isArray(body.checks) && body.checks.length) {
    return body.checks.map((check) => ({
      name: String(check?.name ?? UPSTREAM_STEP),
      status: check?.ok === false ? STEP.FAILED : STEP.OK,
      message: String(check?.message ?? (check?.ok === false ? 'Failed.' : 'Passed.')),
    }));
  }
  const ok = body.ok !== false;
  const message = (typeof body.message === 'string' && body.message) || (ok ? 'Checks passed.' : 'Checks failed.');
  return [{ name: UPSTREAM_STEP, status: ok ? STEP.OK : STEP.FAILED, message }];
}

export function createConnectionTest({ storage, fetchImpl, now }) {
  return async function testConnection() {
    const settings = await getSettings(storage.local);
    if (!isConfigured(settings)) throw new BackendError(NOT_CONFIGURED);
    const client = createBackendClient({ backendUrl: settings.backendUrl, token: settings.token, fetchImpl, now });
    const steps = [];
    const step = async (name, run) => {
      try {
        steps.push({ name, ...(await run()) });
      } catch (error) {
        if (!(error instanceof BackendError)) throw error;
        steps.push({ name, status: STEP.FAILED, message: error.message });
      }
      return steps.at(-1).status !== STEP.FAILED;
    };

    const proceed =
      (await step('Backend', async () => {
        const health = await client.requestJson('GET', '/api/v1/health', { authorized: false, timeoutMs: 5_000 });
        return { status: STEP.OK, message: `Reachable${health.version ? ` (version ${health.version})` : ''}.` };
      })) &&
      (await step('Token', async () => {
        const whoami = await client.requestJson('GET', '/api/v1/whoami');
        const name = whoami?.token?.name;
        return { status: STEP.OK, message: name ? `Accepted (token “${name}”).` : 'Accepted.' };
      }));
    if (proceed) {
      try {
        steps.push(...upstreamSteps(await client.requestJson('POST', '/api/v1/connection-test', { body: {}, timeoutMs: 30_000 })));
      } catch (error) {
        if (!(error instanceof BackendError)) throw error;
        // Older backends have no such endpoint yet: that is not a failed connection.
        const missing = error.status === 404;
        steps.push({
          name: UPSTREAM_STEP,
          status: missing ? STEP.SKIPPED : STEP.FAILED,
          message: missing ? 'Not available on this backend yet.' : error.message,
        });
      }
    }
    return { ok: steps.every((entry) => entry.status !== STEP.FAILED), steps };
  };
}
