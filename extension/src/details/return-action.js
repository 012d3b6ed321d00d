/**
 * The Details panel's Return label action: shown once the order has a label; the worker makes
 * the return (or reprints the one made before) and opens it on the print page. Written with
 * textContent only.
 */
import { MESSAGE } from '../shared/messages.js';

/** What the action shows for the order: {hidden, label, status}. */
export function returnActionView({ labelId, returnLabelId }) {
  if (!labelId && !returnLabelId) return { hidden: true, label: 'Return label', status: '' };
  if (returnLabelId) return { hidden: false, label: 'Reprint return label', status: 'Return printed' };
  return { hidden: false, label: 'Return label', status: '' };
}

function show(button, status, view) {
  button.hidden = view.hidden;
  button.textContent = view.label;
  status.textContent = view.status;
}

/** Wire the button for the order the panel shows; `send` is chrome.runtime.sendMessage. */
export function setUpReturnAction(document, details, send = (message) => chrome.runtime.sendMessage(message)) {
  const button = document.getElementById('return-label');
  const status = document.getElementById('return-status');
  let labels = { labelId: details.labelId ?? null, returnLabelId: details.returnLabelId ?? null };
  show(button, status, returnActionView(labels));
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = 'Printing the return label…';
    try {
      const reply = await send({ type: MESSAGE.RETURN_LABEL, payload: { order: details.order, labelId: labels.labelId ?? labels.returnLabelId } });
      if (!reply?.ok) {
        status.textContent = reply?.error?.message ?? 'The labelbridge extension did not answer.';
        return;
      }
      labels = { ...labels, returnLabelId: reply.data.labelId };
      show(button, status, returnActionView(labels));
      const tracking = reply.data.trackingNumbers.length ? ` · ${reply.data.trackingNumbers.join(', ')}` : '';
      status.textContent = `Return printed${tracking}`;
    } finally {
      button.disabled = false;
    }
  });
}
