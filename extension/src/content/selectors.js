/**
 * Every selector this extension uses on CartonCloud's pages, in one place, each with the page
 * it was checked against. CartonCloud publishes no DOM description of its pages,
 * so the order itself always comes from the URL (sale-order-url.js); these only place the button
 * and read the Customer Reference for a cross-check, and each has a safe fallback: no action bar
 * → after the title → a floating button; no Customer Reference → no cross-check.
 * On the Sale Orders list they find the rows, each row's order (from its link) and its checkbox.
 * A redesign of the host app should break this file and nothing else.
 */

const SANDBOX_PAGE =
  'labelbridge sandbox look-alike View Sale Order page, http://127.0.0.1:PORT/app/demo-warehouse/SaleOrders/view/787061 ' +
  '(saved as tests/extension/snapshots/sandbox-sale-order-787061.html), 2026-11-25';
const SANDBOX_LIST_PAGE =
  'labelbridge sandbox look-alike Sale Orders list page, http://127.0.0.1:PORT/app/demo-warehouse/SaleOrders ' +
  '(saved as tests/extension/snapshots/sandbox-order-list.html), 2026-11-25';
const NOT_CHECKED_ON_CARTONCLOUD = 'not yet checked on app.cartoncloud.com (no public DOM description)';

export const SELECTORS = Object.freeze({
  /** The bar of page actions ("Edit", "Documents"): the button goes at its end. */
  actionBar: Object.freeze({
    css: '.page-actions',
    checkedAgainst: [SANDBOX_PAGE, NOT_CHECKED_ON_CARTONCLOUD],
  }),
  /** The page heading ("Sale Order 787061"): the button goes after it when there is no action bar. */
  pageTitle: Object.freeze({
    css: 'h1.page-title, main h1, h1',
    checkedAgainst: [SANDBOX_PAGE, NOT_CHECKED_ON_CARTONCLOUD],
  }),
  /**
   * Label cells of the details (label → value pairs); the one whose text reads
   * "Customer Reference" names the value next to it. Matched by text, not by position.
   */
  fieldLabel: Object.freeze({
    css: 'th, dt, label',
    text: /^customer\s+ref(erence)?\.?$/i,
    checkedAgainst: [SANDBOX_PAGE, NOT_CHECKED_ON_CARTONCLOUD],
  }),

  // The Sale Orders list. A row is known by its link to the order's View page (the order itself
  // is read from that link's address, /{tenant}/SaleOrders/view/{numericId}, never from text or
  // from attributes only the sandbox has) and is selected by the checkbox in the same row.

  /** A link to a sale order's View page. */
  orderLink: Object.freeze({
    css: 'a[href*="/SaleOrders/view/"]',
    checkedAgainst: [SANDBOX_LIST_PAGE, NOT_CHECKED_ON_CARTONCLOUD],
  }),
  /** The list row around such a link: a table row, or an ARIA grid row (data grids draw rows with divs). */
  listRow: Object.freeze({
    css: 'tr, [role="row"]',
    checkedAgainst: [SANDBOX_LIST_PAGE, NOT_CHECKED_ON_CARTONCLOUD],
  }),
  /** The row's selection checkbox (a "select all" box sits in a header row with no order link). */
  rowCheckbox: Object.freeze({
    css: 'input[type="checkbox"]',
    checkedAgainst: [SANDBOX_LIST_PAGE, NOT_CHECKED_ON_CARTONCLOUD],
  }),
});
