/**
 * What the content script reads from the host page beyond the URL, through selectors.js only.
 * Everything read here is untrusted page text: it is validated and used as data, never as HTML.
 */
import { SELECTORS } from './selectors.js';

const MAX_REFERENCE_LENGTH = 100;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

function normalise(text) {
  return (text ?? '').replace(/\s+/g, ' ').trim().replace(/:$/, '').trim();
}

function valueElementFor(label) {
  if (label.tagName === 'LABEL' && label.htmlFor) return label.ownerDocument.getElementById(label.htmlFor);
  return label.nextElementSibling;
}

function valueText(element) {
  if (!element) return '';
  return element.tagName === 'INPUT' || element.tagName === 'TEXTAREA' ? element.value : element.textContent;
}

/** The Customer Reference the page shows, or null when there is none that looks sane. */
export function readCustomerReference(document) {
  for (const label of document.querySelectorAll(SELECTORS.fieldLabel.css)) {
    if (!SELECTORS.fieldLabel.text.test(normalise(label.textContent))) continue;
    const reference = normalise(valueText(valueElementFor(label)));
    if (reference && reference.length <= MAX_REFERENCE_LENGTH && !CONTROL_CHARACTERS.test(reference)) return reference;
  }
  return null;
}

/**
 * Where the button goes: {parent, before} for insertBefore, or null when the page has no
 * known anchor (the button then floats in a corner).
 */
export function findButtonPlacement(document) {
  const actionBar = document.querySelector(SELECTORS.actionBar.css);
  if (actionBar) return { parent: actionBar, before: null };
  const title = document.querySelector(SELECTORS.pageTitle.css);
  if (title?.parentNode) return { parent: title.parentNode, before: title.nextSibling };
  return null;
}
