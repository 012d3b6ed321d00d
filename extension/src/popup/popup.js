/**
 * The popup: settings (validated, then the host permission for the backend is asked for, then
 * saved), Test connection (done by the worker), this workstation's printing preferences (kept on
 * the backend), and the last few prints.
 */
import { MESSAGE } from '../shared/messages.js';
import { getRecentPrints } from '../shared/recent-prints.js';
import { getSettings, hostPermissionFor, isConfigured, saveSettings, validateSettings } from '../shared/settings.js';
import { createWorkstationForm } from './workstation-form.js';

const FIELDS = ['backendUrl', 'token', 'autoPrint'];
const element = (id) => document.getElementById(id);
const workstation = createWorkstationForm({ document, send: (message) => chrome.runtime.sendMessage(message) });

function readForm() {
  return { backendUrl: element('backendUrl').value, token: element('token').value, autoPrint: element('autoPrint').checked };
}

function fillForm(settings) {
  element('backendUrl').value = settings.backendUrl;
  element('token').value = settings.token;
  element('autoPrint').checked = settings.autoPrint;
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
  const result = validateSettings(readForm());
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
  await saveSettings(result.settings);
  fillForm(result.settings);
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

element('settings').addEventListener('submit', (event) => {
  event.preventDefault();
  saveForm();
});
element('test').addEventListener('click', testConnection);
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes.recentPrints) showRecentPrints();
});
const settings = await getSettings();
fillForm(settings);
if (isConfigured(settings)) await workstation.load();
else element('workstation-status').textContent = 'Save the backend address and token first.';
await showRecentPrints();
document.body.dataset.ready = 'true';
