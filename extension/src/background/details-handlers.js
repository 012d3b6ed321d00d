/**
 * The Details panel's two messages: the content script asks to open it for the order on
 * screen; the panel (an extension page) asks for the order's preview, history and labels. The worker
 * reads settings on every call and sends the backend only identifiers it has checked.
 */
import { detailsPath } from '../shared/details-url.js';
import { readOrderRef } from '../shared/sale-order-url.js';
import { BackendError } from './backend.js';
import { configuredClient } from './configured-client.js';
import { SHAPE, expectShape } from './response-shapes.js';

const DETAILS_TIMEOUT_MS = 15_000;

function invalidOrder() {
  return new BackendError({ code: 'invalid_message', message: 'The Details panel was opened for an invalid order.' });
}

/** A failed part of the panel becomes its message, so the rest still shows. */
async function settle(promise) {
  try {
    return { data: await promise, error: null };
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    return { data: null, error: error.toPayload() };
  }
}

/** The order's label as the Void label action needs it: current (voidable) or voided last; null without one. */
function labelOf(lookup) {
  if (lookup?.label?.id) return { id: lookup.label.id, voided: null, trackingNumbers: lookup.tracking_numbers ?? [] };
  const voided = lookup?.voided_label;
  if (voided?.id) return { id: voided.id, voided, trackingNumbers: voided.tracking_numbers ?? [] };
  return null;
}

/** deps: {storage: {local}, fetchImpl, now, openDetailsPage(path, tab)}. */
export function createDetailsHandlers({ storage, fetchImpl, now, openDetailsPage }) {
  const backendClient = configuredClient({ storage, fetchImpl, now });

  async function openDetails(payload, sender) {
    const order = readOrderRef(payload.order);
    if (!order) throw invalidOrder();
    await openDetailsPage(detailsPath(order), sender.tab);
    return { opened: true };
  }

  async function orderDetails(payload) {
    const order = readOrderRef(payload.order);
    if (!order) throw invalidOrder();
    const client = await backendClient();
    const identifier = order.numericId ? { numeric_id: order.numericId } : { id: order.id };
    const query = order.tenantSlug ? { ...identifier, tenant_slug: order.tenantSlug } : identifier;
    const [preview, history, lookup] = await Promise.all([
      settle(client.requestJson('GET', '/api/v1/orders/preview', { query, timeoutMs: DETAILS_TIMEOUT_MS })),
      settle(client.requestJson('GET', `/api/v1/orders/${encodeURIComponent(order.numericId ?? order.id)}/events`, {
        timeoutMs: DETAILS_TIMEOUT_MS,
      })),
      settle(client.requestJson('GET', '/api/v1/orders/lookup', { query, timeoutMs: DETAILS_TIMEOUT_MS }).then(
        (body) => expectShape(SHAPE.LOOKUP, body),
      )),
    ]);
    // The labels the Return label action needs: the order's own, and its return's once printed.
    const labels = { labelId: lookup.data?.label?.id ?? null, returnLabelId: lookup.data?.return_label?.id ?? null };
    return {
      order,
      preview: preview.data,
      previewError: preview.error,
      events: history.data?.events ?? [],
      eventsError: history.error,
      label: labelOf(lookup.data),
      ...labels,
    };
  }

  return { openDetails, orderDetails };
}
