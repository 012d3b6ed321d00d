/**
 * Every selector this extension uses on CartonCloud's pages, in one place, each with the page
 * it was checked against. CartonCloud publishes no DOM description of its View Sale Order page,
 * so the order itself always comes from the URL (sale-order-url.js); these only place the button
 * and read the Customer Reference for a cross-check, and each has a safe fallback: no action bar
 * → after the title → a floating button; no Customer Reference → no cross-check.
 * A redesign of the host app should break this file and nothing else.
 */

const SANDBOX_PAGE =
  'labelbridge sandbox look-alike View Sale Order page, http://127.0.0.1:PORT/app/demo-warehouse/SaleOrders/view/787061 ' +
  '(saved as tests/extension/snapshots/sandbox-sale-order-787061.html), 2026-11-25';
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
});
