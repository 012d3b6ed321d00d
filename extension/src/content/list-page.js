/**
 * What the content script reads from a Sale Orders list page, through selectors.js only: the
 * listed orders in list order, each with its row's checkbox. The order comes from the address of
 * the row's link to its View page, parsed like a page URL (same host, same tenant), never from
 * the row's text.
 */
import { parseSaleOrderUrl } from '../shared/sale-order-url.js';
import { SELECTORS } from './selectors.js';

/** [{numericId, checkbox}] for each row of the list linking to an order of `tenantSlug`, in list order. */
export function findOrderRows(document, tenantSlug) {
  const rows = new Map();
  for (const link of document.querySelectorAll(SELECTORS.orderLink.css)) {
    const order = parseSaleOrderUrl(link.href);
    const row = link.closest(SELECTORS.listRow.css);
    if (!order?.numericId || order.tenantSlug !== tenantSlug || !row || rows.has(row)) continue;
    const checkbox = row.querySelector(SELECTORS.rowCheckbox.css);
    if (checkbox) rows.set(row, { numericId: order.numericId, checkbox });
  }
  return [...rows.values()];
}

/** The numeric ids of the ticked rows, in list order, each once (a list may show an order twice). */
export function selectedNumericIds(rows) {
  return [...new Set(rows.filter((row) => row.checkbox.checked).map((row) => row.numericId))];
}
