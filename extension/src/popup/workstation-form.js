/**
 * The popup's "This workstation" form: label layout, default printer and packing slip, kept on
 * the backend for this browser's token. Loaded and saved through the worker; the backend's
 * field-level messages land under their fields.
 */
import { MESSAGE } from '../shared/messages.js';

/** The backend's field names → the form's element ids. */
const FIELDS = Object.freeze({ label_layout: 'labelLayout', printer: 'printer', packing_slip: 'packingSlip' });
const BROWSER_PRINT_DIALOG = '';

function printerOption(document, printer) {
  const option = document.createElement('option');
  option.value = printer.name;
  option.textContent = `${printer.name} (${printer.language.toUpperCase()}, ${printer.host}:${printer.port})`;
  return option;
}

/** A field's messages as one sentence (the error shape gives a list per field, or a text). */
function fieldMessage(value) {
  return Array.isArray(value) ? value.join(' ') : String(value);
}

/** deps: document, send(message) → reply (chrome.runtime.sendMessage). */
export function createWorkstationForm({ document, send }) {
  const element = (id) => document.getElementById(id);

  function showStatus(message, tone = 'neutral') {
    const status = element('workstation-status');
    status.textContent = message;
    status.dataset.tone = tone;
  }

  function showFieldErrors(errors = {}) {
    const unplaced = [];
    for (const [name, id] of Object.entries(FIELDS)) {
      element(`${id}-error`).textContent = errors[name] ? fieldMessage(errors[name]) : '';
      element(id).setAttribute('aria-invalid', String(Boolean(errors[name])));
    }
    for (const [name, value] of Object.entries(errors)) if (!(name in FIELDS)) unplaced.push(`${name}: ${fieldMessage(value)}`);
    return unplaced;
  }

  function fill({ workstation, printers }) {
    const known = printers.some((printer) => printer.name === workstation.printer?.name);
    const listed = known || !workstation.printer ? printers : [...printers, workstation.printer];
    const browser = document.createElement('option');
    browser.value = BROWSER_PRINT_DIALOG;
    browser.textContent = 'Browser print dialog';
    element('printer').replaceChildren(browser, ...listed.map((printer) => printerOption(document, printer)));
    element('printer').value = workstation.printer?.name ?? BROWSER_PRINT_DIALOG;
    element('labelLayout').value = workstation.label_layout;
    element('packingSlip').checked = workstation.packing_slip;
    element('workstation-name').textContent = workstation.name;
  }

  function showFailure(error, fallback) {
    const unplaced = showFieldErrors(error?.fields ?? {});
    showStatus([error?.message ?? fallback, ...unplaced].join(' '), 'error');
  }

  async function load() {
    element('workstation-fields').disabled = true;
    showFieldErrors();
    showStatus('Loading…');
    const reply = await send({ type: MESSAGE.GET_WORKSTATION }).catch(() => null);
    if (!reply?.ok) {
      showFailure(reply?.error, 'The labelbridge extension did not answer: close and reopen this popup.');
      return false;
    }
    fill(reply.data);
    element('workstation-fields').disabled = false;
    showStatus('');
    return true;
  }

  function readForm() {
    const printer = element('printer').value;
    return {
      labelLayout: element('labelLayout').value,
      printer: printer === BROWSER_PRINT_DIALOG ? null : printer,
      packingSlip: element('packingSlip').checked,
    };
  }

  async function save() {
    const fields = element('workstation-fields');
    fields.disabled = true;
    showStatus('Saving…');
    try {
      const reply = await send({ type: MESSAGE.SAVE_WORKSTATION, payload: readForm() }).catch(() => null);
      if (!reply?.ok) {
        showFailure(reply?.error, 'The labelbridge extension did not answer: try again.');
        return false;
      }
      showFieldErrors();
      element('labelLayout').value = reply.data.workstation.label_layout;
      element('printer').value = reply.data.workstation.printer?.name ?? BROWSER_PRINT_DIALOG;
      element('packingSlip').checked = reply.data.workstation.packing_slip;
      showStatus('Preferences saved.', 'success');
      return true;
    } finally {
      fields.disabled = false;
    }
  }

  element('workstation').addEventListener('submit', (event) => {
    event.preventDefault();
    save();
  });
  return { load, save };
}
