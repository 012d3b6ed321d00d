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

/**
 * A new, unrendered button host; `onClick(event)` and `onDetails(event)` (the Details link
 * beside the button) are removed when `signal` aborts.
 */
export function createButtonHost(document, { onClick, onDetails = null, signal }) {
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
  // A link, not a second <button>: the page (and its tests) know one button per host.
  const details = document.createElement('a');
  details.className = 'details-link';
  details.href = '#';
  details.textContent = 'Details';
  details.title = 'How this order maps to Starshipit, what is wrong with it, and its history';
  details.hidden = !onDetails;
  root.append(style, button, details, detail);
  button.addEventListener('click', onClick, { signal });
  if (onDetails) {
    details.addEventListener('click', (event) => {
      event.preventDefault();
      onDetails(event);
    }, { signal });
  }
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
  // A failure links straight to the reasons.
  const details = host.shadowRoot.querySelector('.details-link');
  const failed = view.status === 'failed' || view.status === 'blocked';
  details.textContent = failed ? 'Why? Details' : 'Details';
  details.dataset.emphasis = failed ? 'true' : 'false';
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
