/**
 * The extension's settings: a DEFAULTS object plus get/save helpers and the validation the
 * popup runs before saving. Kept in chrome.storage.local (never sync: the token stays on this
 * machine). What the organisation sets by policy (chrome.storage.managed) wins over them.
 */
import { managedArea } from './managed-area.js';

export const DEFAULTS = Object.freeze({
  backendUrl: '',
  token: '',
  autoPrint: true,
});

const LOOPBACK_HOSTNAMES = ['127.0.0.1', 'localhost', '[::1]'];
const MAX_TOKEN_LENGTH = 4096;
const MIN_TOKEN_LENGTH = 8;
// Header values must be visible ASCII: fetch throws on anything else, so refuse it here.
const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;

/** Where the popup finds why the managed code could not be used (a message, never the code). */
export const POLICY_ENROLLMENT_ERROR = 'policyEnrollmentError';

/** The settings an organisation may set by policy (extension/managed_schema.json). */
export const MANAGED_SETTINGS = Object.freeze(['backendUrl', 'enrollmentCode', 'autoPrint']);

/**
 * The organisation's policy, checked: {values, invalid}. `values` holds what may be used (the
 * backend address normalised), `invalid` the names of policy settings that could not be, so the
 * popup can say so instead of silently using the local value.
 */
export async function getPolicy(area = managedArea()) {
  let raw;
  try {
    raw = (area && (await area.get(null))) || {};
  } catch {
    raw = {}; // no policy support on this browser: nothing is managed
  }
  const values = {};
  const invalid = [];
  if ('backendUrl' in raw) {
    const url = typeof raw.backendUrl === 'string' ? validateBackendUrl(raw.backendUrl) : { error: 'not text' };
    if (url.error) invalid.push('backendUrl');
    else values.backendUrl = url.value;
  }
  if ('autoPrint' in raw) {
    if (typeof raw.autoPrint === 'boolean') values.autoPrint = raw.autoPrint;
    else invalid.push('autoPrint');
  }
  if ('enrollmentCode' in raw) {
    if (typeof raw.enrollmentCode === 'string' && raw.enrollmentCode.trim()) values.enrollmentCode = raw.enrollmentCode.trim();
    else invalid.push('enrollmentCode');
  }
  return { values, invalid };
}

/** The saved settings with the organisation's policy laid over them. */
export async function getSettings(storage = chrome.storage.local, area = managedArea()) {
  const local = { ...DEFAULTS, ...(await storage.get(DEFAULTS)) };
  const { values } = await getPolicy(area);
  const managed = Object.fromEntries(Object.entries(values).filter(([name]) => name in DEFAULTS));
  return { ...local, ...managed };
}

export async function saveSettings(settings, storage = chrome.storage.local) {
  await storage.set(settings);
}

export function isConfigured(settings) {
  return Boolean(settings.backendUrl && settings.token);
}

export function validateBackendUrl(raw) {
  const text = String(raw ?? '').trim();
  if (!text) return { error: 'Enter the address of your labelbridge backend, e.g. https://labels.example.com.' };
  let url;
  try {
    url = new URL(text);
  } catch {
    return { error: 'This is not a web address. Start it with https://.' };
  }
  const loopback = LOOPBACK_HOSTNAMES.includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return { error: 'Use https:// (plain http:// is only allowed for 127.0.0.1 and localhost).' };
  }
  if (url.username || url.password) return { error: 'Leave the user name and password out of the address.' };
  if (url.search || url.hash) return { error: 'Leave out everything after ? or #.' };
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/api(\/v1)?$/.test(path)) return { error: 'Enter the backend’s base address, without /api/v1.' };
  return { value: `${url.origin}${path}` };
}

function validateToken(raw) {
  const token = String(raw ?? '').trim();
  if (!token) return { error: 'Enter the token (create one on the backend with `labelbridge token create NAME`).' };
  if (token.length < MIN_TOKEN_LENGTH || token.length > MAX_TOKEN_LENGTH || !TOKEN_CHARACTERS.test(token)) {
    return { error: 'This does not look like a labelbridge token: paste it again, without spaces.' };
  }
  return { value: token };
}

/**
 * Checks and normalises what the popup's form holds.
 * Returns {ok: true, settings} or {ok: false, errors: {field: message}}.
 */
export function validateSettings(input) {
  const backendUrl = validateBackendUrl(input.backendUrl);
  const token = validateToken(input.token);
  const errors = {};
  if (backendUrl.error) errors.backendUrl = backendUrl.error;
  if (token.error) errors.token = token.error;
  if (typeof input.autoPrint !== 'boolean') errors.autoPrint = 'Choose whether labels print automatically.';
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, settings: { backendUrl: backendUrl.value, token: token.value, autoPrint: input.autoPrint } };
}

/**
 * The host permission pattern for the backend's address. Match patterns carry no port,
 * so this covers every port of that host.
 */
export function hostPermissionFor(backendUrl) {
  const url = new URL(backendUrl);
  return `${url.protocol}//${url.hostname}/*`;
}
