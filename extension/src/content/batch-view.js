/**
 * The batch button's DOM on the Sale Orders list: a host element with the marker attribute, an
 * open shadow root with the button, a status line, the printer's notices and the failed orders.
 * Rendering writes textContent and attributes only.
 */
import { BATCH_CSS } from './button-styles.js';
import { createShadowButton } from './button-view.js';

const MARKER_VALUE = 'batch-button';

function list(document, className, label) {
  const element = document.createElement('ul');
  element.className = className;
  element.setAttribute('aria-label', label);
  return element;
}

/** A new, unrendered host; `onClick(event)` is removed when `signal` aborts. */
export function createBatchHost(document, { onClick, signal }) {
  const { host, root, style, button, detail } = createShadowButton(document, { tag: 'div', marker: MARKER_VALUE, css: BATCH_CSS });
  root.append(style, button, detail, list(document, 'notices', 'Printer'), list(document, 'failures', 'Orders not printed'));
  button.addEventListener('click', onClick, { signal });
  return host;
}

function items(document, texts) {
  return texts.map((text) => {
    const item = document.createElement('li');
    item.textContent = text;
    return item;
  });
}

export function renderBatch(host, view) {
  const root = host.shadowRoot;
  const { ownerDocument } = host;
  host.dataset.state = view.status;
  host.dataset.tone = view.tone;
  host.dataset.printer = view.printerStatus ?? '';
  const button = root.querySelector('button');
  button.textContent = view.label;
  button.disabled = view.disabled;
  button.title = view.title;
  const detail = root.querySelector('.detail');
  detail.textContent = view.detail ?? '';
  detail.hidden = !view.detail;
  root.querySelector('.notices').replaceChildren(...items(ownerDocument, view.notices));
  root.querySelector('.failures').replaceChildren(...items(ownerDocument, view.failures));
}
