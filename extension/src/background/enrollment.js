/**
 * Enrollment: a one-time code (typed into the popup, or the organisation's managed
 * enrollmentCode) exchanged once at the backend for this bench's token. The token goes straight
 * into chrome.storage.local; nothing here hands it back to a page, so it is never on screen.
 */
import { POLICY_ENROLLMENT_ERROR, getPolicy, getSettings, validateBackendUrl } from '../shared/settings.js';
import { BackendError, createBackendClient } from './backend.js';

const NO_CODE = Object.freeze({
  code: 'no_enrollment_code',
  message: 'Enter the enrollment code you were given (like 7KQ-4MD-92X).',
});

/** deps: {storage: {local}, fetchImpl, now, managed?}. */
export function createEnrollment({ storage, fetchImpl, now, managed }) {
  async function exchange(backendUrl, code) {
    const client = createBackendClient({ backendUrl, token: '', fetchImpl, now });
    const body = await client.requestJson('POST', '/api/v1/enroll', { body: { code }, authorized: false });
    if (typeof body.token !== 'string' || body.token.length < 8 || typeof body.name !== 'string') {
      throw new BackendError({
        code: 'unexpected_response',
        message: 'The labelbridge backend answered the enrollment without a token. The backend may be an older version: update it.',
      });
    }
    await storage.local.set({ backendUrl, token: body.token });
    await storage.local.remove(POLICY_ENROLLMENT_ERROR);
    return { name: body.name, role: body.role, backendUrl };
  }

  /** popup → worker: {backendUrl, code}. The organisation's backend address wins when set. */
  async function enroll(payload) {
    const { values: policy } = await getPolicy(managed);
    const url = policy.backendUrl ? { value: policy.backendUrl } : validateBackendUrl(payload.backendUrl);
    if (url.error) throw new BackendError({ code: 'invalid_backend_url', message: url.error, fields: { backendUrl: url.error } });
    const code = String(payload.code ?? '').trim();
    if (!code) throw new BackendError({ ...NO_CODE, fields: { enrollmentCode: NO_CODE.message } });
    return exchange(url.value, code);
  }

  /**
   * At install, start-up and when the policy changes: a bench with no token and a managed code
   * enrolls itself. A failure is kept for the popup to show; it is tried again at the next of
   * those events (a used or expired code needs a new one in the policy anyway).
   */
  async function enrollFromPolicy() {
    const { values: policy } = await getPolicy(managed);
    const settings = await getSettings(storage.local, managed);
    if (!policy.enrollmentCode || !policy.backendUrl || settings.token) return null;
    try {
      return await exchange(policy.backendUrl, policy.enrollmentCode);
    } catch (error) {
      if (!(error instanceof BackendError)) throw error;
      await storage.local.set({ [POLICY_ENROLLMENT_ERROR]: `The enrollment code set by your organisation did not work: ${error.message}` });
      return null;
    }
  }

  return { enroll, enrollFromPolicy };
}
