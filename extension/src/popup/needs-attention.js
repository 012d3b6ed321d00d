/**
 * The popup's "Needs attention": labelled orders cancelled in CartonCloud (rejected, or moved
 * back before Packed) whose label was not voided. Shown with textContent only; hidden when empty.
 */
import { MESSAGE } from '../shared/messages.js';

/** Writes the worker's reply into `section` (a heading and a list); hidden when there is nothing. */
export function renderNeedsAttention(section, reply) {
  const document = section.ownerDocument;
  const list = section.querySelector('ol');
  list.replaceChildren();
  if (!reply?.ok) {
    section.hidden = true;
    return;
  }
  const { items } = reply.data;
  section.hidden = items.length === 0;
  for (const item of items) {
    const row = document.createElement('li');
    const name = document.createElement('strong');
    name.textContent = item.status ? `${item.name} · ${item.status}` : item.name;
    const message = document.createElement('div');
    message.className = 'muted';
    message.textContent = item.message;
    row.append(name, message);
    list.append(row);
  }
}

/** Asks the worker and shows the answer. */
export async function showNeedsAttention(section, send) {
  renderNeedsAttention(section, await send({ type: MESSAGE.NEEDS_ATTENTION, payload: {} }));
}
