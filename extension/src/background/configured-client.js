/**
 * The backend client for the settings saved right now: read from storage on every call (the
 * worker keeps nothing between events), refused in words when the extension is not set up.
 */
import { getSettings, isConfigured } from '../shared/settings.js';
import { BackendError, NOT_CONFIGURED, createBackendClient } from './backend.js';

/** deps: {storage: {local}, fetchImpl, now}. Returns backendClient() → Promise<client>. */
export function configuredClient({ storage, fetchImpl, now }) {
  return async function backendClient() {
    const settings = await getSettings(storage.local);
    if (!isConfigured(settings)) throw new BackendError(NOT_CONFIGURED);
    return createBackendClient({ backendUrl: settings.backendUrl, token: settings.token, fetchImpl, now });
  };
}
