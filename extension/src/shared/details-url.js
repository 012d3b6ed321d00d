/** The Details panel's address: the order's identifiers in the query, nothing else. */
import { readOrderRef } from './sale-order-url.js';

/** The panel's address for an order: its identifiers in the query, nothing else. */
export function detailsPath(order) {
  const query = new URLSearchParams();
  if (order.tenantSlug) query.set('tenant', order.tenantSlug);
  if (order.numericId) query.set('numericId', order.numericId);
  else query.set('id', order.id);
  return `src/details/details.html?${query}`;
}

/** The order a Details panel URL names (the inverse of detailsPath), or null. */
export function orderFromDetailsUrl(href) {
  const query = new URL(href).searchParams;
  const candidate = { tenantSlug: query.get('tenant') ?? undefined };
  if (query.has('numericId')) candidate.numericId = query.get('numericId');
  if (query.has('id')) candidate.id = query.get('id');
  return readOrderRef(candidate);
}
