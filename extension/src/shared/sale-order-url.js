/**
 * Which pages are sale-order pages, and which order a page URL names.
 * The URL is the first source of truth for the order (the page's text comes second):
 * CartonCloud's web app puts the tenant slug and the order's numericId or UUID in it.
 */

export const CARTONCLOUD_ORIGINS = Object.freeze([
  'https://app.cartoncloud.com',
  'https://app.na.cartoncloud.com',
  'https://app.cartoncloud.com.au',
]);

/** The labelbridge sandbox serves its look-alike pages under /app on a loopback address. */
const SANDBOX_HOSTNAMES = Object.freeze(['127.0.0.1', 'localhost']);
const SANDBOX_PATH_PREFIX = '/app';

const TENANT_SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const NUMERIC_ID = /^[0-9]{1,18}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isNumericId(value) {
  return typeof value === 'string' && NUMERIC_ID.test(value);
}

export function isUuid(value) {
  return typeof value === 'string' && UUID.test(value);
}

export function isTenantSlug(value) {
  return typeof value === 'string' && TENANT_SLUG.test(value);
}

function toUrl(href) {
  try {
    return new URL(href);
  } catch {
    return null;
  }
}

function isSandboxUrl(url) {
  return url.protocol === 'http:' && SANDBOX_HOSTNAMES.includes(url.hostname);
}

/**
 * The part of the path after the host's prefix, or null when the URL is not on a host
 * whose sale-order pages this extension knows.
 */
function appPath(url) {
  if (CARTONCLOUD_ORIGINS.includes(url.origin)) return url.pathname;
  if (isSandboxUrl(url) && url.pathname.startsWith(`${SANDBOX_PATH_PREFIX}/`)) {
    return url.pathname.slice(SANDBOX_PATH_PREFIX.length);
  }
  return null;
}

/** True for pages on which the content script may run (any page of those apps). */
export function isSaleOrderHostUrl(href) {
  const url = toUrl(href);
  return url !== null && appPath(url) !== null;
}

function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * The order a page URL names:
 *   /{TenantSlug}/SaleOrders/view/{numericId}  → {tenantSlug, numericId}
 *   /{TenantSlug}/outbound-orders/{uuid}[/...] → {tenantSlug, id}
 * or null for any other page (including look-alike URLs on hosts we don't know).
 */
export function parseSaleOrderUrl(href) {
  const url = toUrl(href);
  const path = url && appPath(url);
  if (!path) return null;
  const segments = path.split('/').filter(Boolean).map(decodeSegment);
  const [tenantSlug, section, ...rest] = segments;
  if (!isTenantSlug(tenantSlug)) return null;
  if (section === 'SaleOrders' && rest[0] === 'view' && rest.length === 2 && isNumericId(rest[1])) {
    return { tenantSlug, numericId: rest[1] };
  }
  if (section === 'outbound-orders' && isUuid(rest[0])) {
    return { tenantSlug, id: rest[0].toLowerCase() };
  }
  return null;
}

/**
 * The tenant of a sale-order list page, /{TenantSlug}/SaleOrders (any query: filters, paging),
 * as {tenantSlug}; null for any other page.
 */
export function parseSaleOrderListUrl(href) {
  const url = toUrl(href);
  const path = url && appPath(url);
  if (!path) return null;
  const [tenantSlug, section, ...rest] = path.split('/').filter(Boolean).map(decodeSegment);
  return isTenantSlug(tenantSlug) && section === 'SaleOrders' && rest.length === 0 ? { tenantSlug } : null;
}

/** One string per order, to tell whether the page now shows another order. */
export function orderKey(order) {
  return `${order.tenantSlug}/${order.numericId ?? order.id}`;
}

/**
 * A message payload's order, checked field by field: the worker trusts nothing a page
 * context sends. Returns the normalised order or null.
 */
export function readOrderRef(value) {
  if (typeof value !== 'object' || value === null) return null;
  const { tenantSlug, numericId, id } = value;
  if (tenantSlug !== undefined && !isTenantSlug(tenantSlug)) return null;
  if (isNumericId(numericId) && id === undefined) return { tenantSlug, numericId };
  if (isUuid(id) && numericId === undefined) return { tenantSlug, id: id.toLowerCase() };
  return null;
}
