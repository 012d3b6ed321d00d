/** Saved host pages, parsed into documents for the tests. */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Paths, not URL objects: under happy-dom the global URL is not Node's, and fs refuses it.
const DIRECTORY = join(dirname(fileURLToPath(import.meta.url)), 'snapshots');

export function snapshotHtml(name) {
  return readFileSync(join(DIRECTORY, name), 'utf8');
}

export function snapshotDocument(name) {
  return new DOMParser().parseFromString(snapshotHtml(name), 'text/html');
}

/** Every saved View Sale Order page of order 787061 / SO-10045 (hand-written and fetched). */
export const SALE_ORDER_SNAPSHOTS = readdirSync(DIRECTORY).filter((name) => name.endsWith('.html') && name.includes('sale-order'));

/** Every saved Sale Orders list page (hand-written and fetched). */
export const ORDER_LIST_SNAPSHOTS = readdirSync(DIRECTORY).filter((name) => name.endsWith('.html') && name.includes('order-list'));

/** Puts saved markup into the window's document at `url`, so relative links resolve as on the page. */
export function showHtml(html, url) {
  window.happyDOM.setURL(url);
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  document.body.replaceChildren(...[...parsed.body.childNodes].map((node) => document.importNode(node, true)));
}

export function showSnapshot(name, url) {
  showHtml(snapshotHtml(name), url);
}
