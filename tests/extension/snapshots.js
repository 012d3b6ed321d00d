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
