/**
 * The popup's Test connection, done by the worker (the only caller of the backend):
 * backend reachable → token accepted → the backend's own check of Starshipit and CartonCloud.
 * Each step is reported; the first failure stops the rest.
 */
import { getSettings, isConfigured } from '../shared/settings.js';
import { BackendError, NOT_CONFIGURED, createBackendClient } from './backend.js';
import { SHAPE, expectShape } from './response-shapes.js';

const STEP = Object.freeze({ OK: 'ok', FAILED: 'failed', SKIPPED: 'skipped' });

const UPSTREAM_STEP = 'Starshipit and CartonCloud';

/** The backend's own upstream check as steps, one per entry of its `checks`. */
function upstreamSteps(body) {
  return body.checks.map((check) => ({ name: check.name, status: check.ok ? STEP.OK : STEP.FAILED, message: check.message }));
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
        const health = expectShape(SHAPE.HEALTH, await client.requestJson('GET', '/api/v1/health', { authorized: false, timeoutMs: 5_000 }));
        if (health.status === 'degraded') {
          return { status: STEP.FAILED, message: `Reachable (version ${health.version}), but not working: ${health.reason}` };
        }
        return { status: STEP.OK, message: `Reachable (version ${health.version}).` };
      })) &&
      (await step('Token', async () => {
        const whoami = expectShape(SHAPE.WHOAMI, await client.requestJson('GET', '/api/v1/whoami'));
        return { status: STEP.OK, message: `Accepted (token “${whoami.token.name}”).` };
      }));
    if (proceed) {
      try {
        const body = await client.requestJson('POST', '/api/v1/connection-test', { body: {}, timeoutMs: 30_000 });
        steps.push(...upstreamSteps(expectShape(SHAPE.CONNECTION_TEST, body)));
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
