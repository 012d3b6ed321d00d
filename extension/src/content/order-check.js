/**
 * The cross-check between what the page shows and what the backend resolved: a label for the
 * wrong order is worse than no label, so any disagreement blocks printing.
 */

function describe(numericId, customerReference) {
  return [numericId && `sale order ${numericId}`, customerReference && `(${customerReference})`].filter(Boolean).join(' ');
}

/**
 * A sentence explaining the disagreement, or null when page and backend agree (or the page
 * shows too little to compare).
 */
export function describeMismatch(order, pageCustomerReference, saleOrder) {
  if (!saleOrder) return null;
  const numericDiffers = Boolean(order.numericId && saleOrder.numericId && String(saleOrder.numericId) !== order.numericId);
  const idDiffers = Boolean(order.id && saleOrder.id && String(saleOrder.id).toLowerCase() !== order.id);
  const referenceDiffers = Boolean(
    pageCustomerReference && saleOrder.customerReference && String(saleOrder.customerReference).trim() !== pageCustomerReference,
  );
  if (!numericDiffers && !idDiffers && !referenceDiffers) return null;
  const found = describe(saleOrder.numericId, saleOrder.customerReference) || `sale order ${saleOrder.id}`;
  const shown = describe(order.numericId, pageCustomerReference) || `sale order ${order.id}`;
  return `Not printing: the backend found ${found}, but this page shows ${shown}. Reload the page; if this stays, tell your labelbridge admin.`;
}
