/**
 * The button's DOM: one host element carrying the marker attribute, an open shadow root with
 * the button and a status line. Rendering writes textContent and attributes only.
 */
import { BUTTON_CSS } from './button-styles.js';

export const MARKER_ATTRIBUTE = 'data-labelbridge';
const MARKER_VALUE = 'print-button';

/** Every labelbridge button host on the page (the order page's and the list's). */
export function findButtonHosts(document) {
  return [...document.querySelectorAll(`[${MARKER_ATTRIBUTE}]`)];
}

/**
 * The parts every labelbridge button shares: a host element with the marker attribute, an open
 * shadow root (the page's CSS cannot bend it), its style, the button and a status line. The
 * caller appends them to `root` in the order it wants.
 */
export function createShadowButton(document, { tag, marker, css }) {
  const host = document.createElement(tag);
  host.setAttribute(MARKER_ATTRIBUTE, marker);
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = css;
  const button = document.createElement('button');
  button.type = 'button';
  const detail = document.createElement('span');
  detail.className = 'detail';
  detail.setAttribute('role', 'status');
  detail.setAttribute('aria-live', 'polite');
  return { host, root, style, button, detail };
}

/**
 * A new, unrendered button host; `onClick(event)` and `onDetails(event)` (the Details link
 * beside the button) are removed when `signal` aborts.
 */
export function createButtonHost(document, { onClick, onDetails = null, signal }) {
  const { host, root, style, button, detail } = createShadowButton(document, { tag: 'span', marker: MARKER_VALUE, css: BUTTON_CSS });
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
