/**
 * The button's DOM: one host element carrying the marker attribute, an open shadow root with
 * the button and a status line. Rendering writes textContent and attributes only.
 */
import { BUTTON_CSS } from './button-styles.js';

export const MARKER_ATTRIBUTE = 'data-labelbridge';
const MARKER_VALUE = 'print-button';

export function findButtonHosts(document) {
  return [...document.querySelectorAll(`[${MARKER_ATTRIBUTE}="${MARKER_VALUE}"]`)];
}

/** A new, unrendered button host; `onClick(event)` is removed when `signal` aborts. */
export function createButtonHost(document, { onClick, signal }) {
  const host = document.createElement('span');
  host.setAttribute(MARKER_ATTRIBUTE, MARKER_VALUE);
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = BUTTON_CSS;
  const button = document.createElement('button');
  button.type = 'button';
  const detail = document.createElement('span');
  detail.className = 'detail';
  detail.setAttribute('role', 'status');
  detail.setAttribute('aria-live', 'polite');
  root.append(style, button, detail);
  button.addEventListener('click', onClick, { signal });
  return host;
}

export function renderButton(host, view) {
  const button = host.shadowRoot.querySelector('button');
  const detail = host.shadowRoot.querySelector('.detail');
  host.dataset.state = view.status;
  host.dataset.tone = view.tone;
  button.textContent = view.label;
  button.disabled = view.disabled;
  button.title = view.title;
  detail.textContent = view.detail ?? '';
  detail.hidden = !view.detail;
}

/** Puts the host where the page wants it (placement from page.js), or floating when null. */
export function placeButtonHost(host, placement, body) {
  if (placement) {
    host.removeAttribute('data-placement');
    if (host.parentNode !== placement.parent) placement.parent.insertBefore(host, placement.before);
  } else {
    host.dataset.placement = 'floating';
    if (host.parentNode !== body) body.append(host);
  }
}
