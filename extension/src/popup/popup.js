/**
 * The popup: settings (validated, then the host permission for the backend is asked for, then
 * saved), enrollment with a one-time code (done by the worker, which keeps the token), Test
 * connection (done by the worker), this workstation's printing preferences (kept on the backend),
 * the orders cancelled in CartonCloud after their label (needs attention), closing the day (close-day.js), and the last few prints. Settings the organisation set by policy are shown and locked. A saved
 * token is never put back into the form: it is not on screen, even masked.
 */
import { MESSAGE } from '../shared/messages.js';
import { getRecentPrints } from '../shared/recent-prints.js';
import {
  POLICY_ENROLLMENT_ERROR,
  getPolicy,
  getSettings,
  hostPermissionFor,
  isConfigured,
  saveSettings,
  validateBackendUrl,
  validateSettings,
} from '../shared/settings.js';
import { createWorkstationForm } from './workstation-form.js';
import { showNeedsAttention } from './needs-attention.js';
import { createCloseDay } from './close-day.js';

const FIELDS = ['backendUrl', 'token', 'autoPrint'];
const LOCKABLE = ['backendUrl', 'autoPrint'];
const SAVED_TOKEN_HINT = 'Saved on this computer: enter a token only to replace it';
const element = (id) => document.getElementById(id);
const workstation = createWorkstationForm({ document, send: (message) => chrome.runtime.sendMessage(message) });
createCloseDay({ document, send: (message) => chrome.runtime.sendMessage(message) });
// Whether a token is saved; the token itself stays in storage, out of the page.
let hasSavedToken = false;

function readForm() {
  // An empty token field keeps the saved token (validateSettings needs a value: read it at save).
  return { backendUrl: element('backendUrl').value, token: element('token').value, autoPrint: element('autoPrint').checked };
}

function fillForm(settings) {
  element('backendUrl').value = settings.backendUrl;
  hasSavedToken = Boolean(settings.token);
  element('token').value = '';
  element('token').placeholder = hasSavedToken ? SAVED_TOKEN_HINT : '';
  element('autoPrint').checked = settings.autoPrint;
}

/** Policy-set fields are locked and say so; a policy value that cannot be used is reported. */
function showPolicy({ values, invalid }) {
  for (const field of LOCKABLE) {
    const managed = field in values;
    element(field).disabled = managed;
    element(`${field}-managed`).hidden = !managed;
  }
  if (invalid.length) {
    showEnrollStatus(`Your organisation's policy sets ${invalid.join(', ')} to a value labelbridge cannot use; ask IT to correct it.`, 'error');
  }
}

function showEnrollStatus(message, tone = 'neutral') {
  const status = element('enroll-status');
  status.textContent = message;
  status.dataset.tone = tone;
}

function showFieldErrors(errors) {
  for (const field of FIELDS) {
    element(`${field}-error`).textContent = errors[field] ?? '';
    element(field).setAttribute('aria-invalid', String(Boolean(errors[field])));
  }
}

function showStatus(message, tone = 'neutral') {
  const status = element('form-status');
  status.textContent = message;
  status.dataset.tone = tone;
}

/**
 * Validates the form, asks for the backend's host permission and saves. Must run straight from
 * a click: chrome.permissions.request needs the user gesture, so nothing is awaited before it.
 * Returns true once saved.
 */
async function saveForm() {
  const form = readForm();
  const keepSavedToken = hasSavedToken && !form.token.trim();
  // A stand-in that passes the token check; the saved token is kept below, never read into the page.
  const result = validateSettings(keepSavedToken ? { ...form, token: 'saved-token' } : form);
  showFieldErrors(result.ok ? {} : result.errors);
  if (!result.ok) {
    showStatus('Fix the marked fields, then save.', 'error');
    return false;
  }
  const origin = hostPermissionFor(result.settings.backendUrl);
  const granted = await chrome.permissions.request({ origins: [origin] }).catch(() => false);
  if (!granted) {
    showStatus(`Not saved: labelbridge needs your permission to reach ${new URL(result.settings.backendUrl).host}.`, 'error');
    return false;
  }
  const { backendUrl, autoPrint } = result.settings;
  await saveSettings(keepSavedToken ? { backendUrl, autoPrint } : result.settings);
  fillForm(await getSettings());
  showStatus('Saved.', 'success');
  workstation.load();
  return true;
}

function showTestResults(steps) {
  const list = element('test-results');
  list.replaceChildren(
    ...steps.map((step) => {
      const item = document.createElement('li');
      item.dataset.status = step.status;
      item.textContent = `${step.name}: ${step.message}`;
      return item;
    }),
  );
}

async function testConnection() {
  element('test-results').replaceChildren();
  if (!(await saveForm())) return;
  const button = element('test');
  button.disabled = true;
  showStatus('Testing…');
  try {
    const reply = await chrome.runtime.sendMessage({ type: MESSAGE.TEST_CONNECTION });
    if (!reply?.ok) {
      showStatus(reply?.error?.message ?? 'The test could not run.', 'error');
      return;
    }
    showTestResults(reply.data.steps);
    showStatus(reply.data.ok ? 'Connection works.' : 'Connection test failed.', reply.data.ok ? 'success' : 'error');
  } finally {
    button.disabled = false;
  }
}

function printEntry(print) {
  const item = document.createElement('li');
  const reference = print.saleOrder?.customerReference || `Sale order ${print.saleOrder?.numericId ?? '?'}`;
  const tracking = document.createElement('span');
  tracking.className = 'tracking';
  tracking.textContent = print.trackingNumbers.join(', ') || 'no tracking number';
  const when = new Date(print.at).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
  item.append(`${reference} · `, tracking, ` · ${[print.carrier, print.reprint && 'reprint', when].filter(Boolean).join(' · ')}`);
  return item;
}

async function showRecentPrints() {
  const prints = await getRecentPrints();
  element('recent-prints').replaceChildren(...prints.map(printEntry));
  element('no-prints').hidden = prints.length > 0;
}

/**
 * Exchanges the code for this bench's token (the worker keeps it). Straight from a click, like
 * saveForm: the host permission request needs the user gesture.
 */
async function enroll() {
  element('enrollmentCode-error').textContent = '';
  element('backendUrl-error').textContent = '';
  const backendUrl = validateBackendUrl(element('backendUrl').value);
  if (backendUrl.error) {
    element('backendUrl-error').textContent = backendUrl.error;
    showEnrollStatus('Enter the backend address first, then the code.', 'error');
    return;
  }
  const granted = await chrome.permissions.request({ origins: [hostPermissionFor(backendUrl.value)] }).catch(() => false);
  if (!granted) {
    showEnrollStatus(`Not enrolled: labelbridge needs your permission to reach ${new URL(backendUrl.value).host}.`, 'error');
    return;
  }
  const button = element('enroll');
  button.disabled = true;
  showEnrollStatus('Enrolling…');
  try {
    const code = element('enrollmentCode').value;
    const reply = await chrome.runtime.sendMessage({ type: MESSAGE.ENROLL, payload: { backendUrl: backendUrl.value, code } });
    if (!reply?.ok) {
      const fields = reply?.error?.fields ?? {};
      element('enrollmentCode-error').textContent = fields.enrollmentCode ?? '';
      element('backendUrl-error').textContent = fields.backendUrl ?? '';
      showEnrollStatus(reply?.error?.message ?? 'The enrollment could not run.', 'error');
      return;
    }
    element('enrollmentCode').value = '';
    fillForm(await getSettings());
    showEnrollStatus(`Enrolled as ${reply.data.name}.`, 'success');
    await workstation.load();
  } finally {
    button.disabled = false;
  }
}

/** An enrollment link (`labelbridge token enroll`) opens this page with #enroll=CODE&backend=URL. */
function fillFromLink(policy) {
  const link = new URLSearchParams(location.hash.slice(1));
  if (link.get('enroll')) element('enrollmentCode').value = link.get('enroll');
  if (link.get('backend') && !('backendUrl' in policy.values)) element('backendUrl').value = link.get('backend');
}

element('enroll').addEventListener('click', enroll);
element('settings').addEventListener('submit', (event) => {
  event.preventDefault();
  saveForm();
});
element('test').addEventListener('click', testConnection);
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes.recentPrints) showRecentPrints();
});
const settings = await getSettings();
const policy = await getPolicy();
fillForm(settings);
showPolicy(policy);
fillFromLink(policy);
const { [POLICY_ENROLLMENT_ERROR]: policyError } = await chrome.storage.local.get(POLICY_ENROLLMENT_ERROR);
if (policyError && !settings.token) showEnrollStatus(policyError, 'error');
if (isConfigured(settings)) {
  await workstation.load();
  await showNeedsAttention(element('needs-attention'), (message) => chrome.runtime.sendMessage(message));
} else element('workstation-status').textContent = 'Enroll this bench, or save the backend address and token, first.';
await showRecentPrints();
document.body.dataset.ready = 'true';
