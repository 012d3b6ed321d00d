/**
 * The Details panel's Void label: a button, then a confirmation that says in words what voiding
 * does and does not do, with the reason; the worker voids (supervisor or admin tokens) and the
 * answer's own explanation is shown. Everything is written with textContent.
 */
import { MESSAGE } from '../shared/messages.js';

export const BEFORE_VOIDING =
  'Voiding takes this shipment out of Starshipit: an order not booked yet is deleted, a printed one is archived ' +
  'so it is not manifested with the day\'s parcels. It does not cancel anything at the courier or recall a parcel ' +
  'already handed over: contact the courier for that. The label is kept, marked void, and the next Print label ' +
  'makes a new shipment.';

function element(document, tag, props = {}) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  return node;
}

function describeVoided(voided) {
  const when = String(voided.voided_at ?? '').replace('T', ' ').slice(0, 16);
  const who = voided.voided_by ? ` by ${voided.voided_by}` : '';
  const what = voided.action === 'deleted' ? 'deleted from Starshipit' : 'archived in Starshipit';
  return `This order's label was voided on ${when}${who} (${what}): ${voided.reason}. Print label makes a new shipment.`;
}

/**
 * Fills `section` for `label` ({id, voided, trackingNumbers} or null). `send(message)` reaches
 * the worker; `onVoided()` runs after a void succeeded (the panel reloads).
 */
export function renderVoidAction(section, label, { send, onVoided }) {
  const document = section.ownerDocument;
  section.replaceChildren();
  section.hidden = !label;
  if (!label) return;
  const status = element(document, 'p', { className: 'status', id: 'void-status' });
  status.setAttribute('role', 'status');
  if (label.voided) {
    status.textContent = describeVoided(label.voided);
    status.dataset.tone = 'neutral';
    section.append(status);
    return;
  }
  const open = element(document, 'button', { type: 'button', id: 'void-open', textContent: 'Void label' });
  const form = element(document, 'form', { id: 'void-form', hidden: true, noValidate: true });
  const explanation = element(document, 'p', { id: 'void-explanation', textContent: BEFORE_VOIDING });
  const tracking = label.trackingNumbers.length ? ` (tracking ${label.trackingNumbers.join(', ')})` : '';
  const question = element(document, 'p', { className: 'question', textContent: `Void this label${tracking}?` });
  const reasonLabel = element(document, 'label', { htmlFor: 'void-reason', textContent: 'Reason' });
  const reason = element(document, 'input', { id: 'void-reason', name: 'reason', type: 'text', maxLength: 500, required: true });
  const confirm = element(document, 'button', { type: 'submit', id: 'void-confirm', textContent: 'Void the label' });
  const cancel = element(document, 'button', { type: 'button', id: 'void-cancel', className: 'secondary', textContent: 'Cancel' });
  const actions = element(document, 'div', { className: 'actions' });
  actions.append(confirm, cancel);
  form.append(question, explanation, reasonLabel, reason, actions);
  section.append(open, form, status);

  open.addEventListener('click', () => {
    form.hidden = false;
    open.hidden = true;
    reason.focus();
  });
  cancel.addEventListener('click', () => {
    form.hidden = true;
    open.hidden = false;
    status.textContent = '';
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const words = reason.value.trim();
    if (!words) {
      status.textContent = 'Say why the label is voided.';
      status.dataset.tone = 'error';
      return;
    }
    confirm.disabled = true;
    status.textContent = 'Voiding…';
    status.dataset.tone = 'busy';
    const reply = await send({ type: MESSAGE.VOID_LABEL, payload: { labelId: label.id, reason: words } });
    confirm.disabled = false;
    if (!reply?.ok) {
      status.textContent = reply?.error?.message ?? 'The label could not be voided.';
      status.dataset.tone = 'error';
      return;
    }
    form.hidden = true;
    status.textContent = `Voided. ${reply.data.explanation}`;
    status.dataset.tone = 'success';
    onVoided?.(reply.data);
  });
}
