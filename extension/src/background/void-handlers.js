/**
 * Voiding a label (the Details panel's Void label) and the orders that need someone after a
 * cancellation in CartonCloud (the popup). Both come from extension pages only; the worker checks
 * what they send before the backend sees it.
 */
import { BackendError } from './backend.js';
import { configuredClient } from './configured-client.js';
import { SHAPE, expectShape } from './response-shapes.js';

const VOID_TIMEOUT_MS = 30_000;
const STATUS_TIMEOUT_MS = 15_000;
const LABEL_ID = /^[0-9A-Za-z-]{1,64}$/;
export const MAX_REASON = 500;

function invalid(what) {
  return new BackendError({ code: 'invalid_message', message: `The void request has an invalid ${what}.` });
}

/** A label id as the backend gives them; null for anything else. */
export function readLabelId(value) {
  return typeof value === 'string' && LABEL_ID.test(value) ? value : null;
}

/** The reason, trimmed, 1 to 500 characters; null otherwise. */
export function readReason(value) {
  if (typeof value !== 'string') return null;
  const reason = value.trim();
  return reason.length >= 1 && reason.length <= MAX_REASON ? reason : null;
}

/** One needs-attention row of GET /sync/status, reduced to what the popup shows. */
function attentionItem(item) {
  const saleOrder = item?.sale_order ?? {};
  return {
    name: String(saleOrder.customer_reference ?? saleOrder.numeric_id ?? saleOrder.id ?? 'a sale order'),
    numericId: typeof saleOrder.numeric_id === 'string' ? saleOrder.numeric_id : null,
    status: typeof item?.status === 'string' ? item.status : null,
    message: typeof item?.message === 'string' ? item.message : '',
  };
}

/** deps: {storage: {local}, fetchImpl, now}. */
export function createVoidHandlers({ storage, fetchImpl, now }) {
  const backendClient = configuredClient({ storage, fetchImpl, now });

  async function voidLabel(payload) {
    const labelId = readLabelId(payload.labelId);
    if (!labelId) throw invalid('label');
    const reason = readReason(payload.reason);
    if (!reason) throw invalid('reason (1 to 500 characters)');
    const client = await backendClient();
    const response = expectShape(
      SHAPE.VOID,
      await client.requestJson('POST', `/api/v1/labels/${encodeURIComponent(labelId)}/void`, {
        body: { reason },
        timeoutMs: VOID_TIMEOUT_MS,
      }),
    );
    return {
      labelId: response.label.id,
      action: response.label.action,
      alreadyVoid: response.already_void,
      explanation: response.explanation,
      trackingNumbers: response.label.tracking_numbers,
    };
  }

  async function needsAttention() {
    const client = await backendClient();
    const status = await client.requestJson('GET', '/api/v1/sync/status', { timeoutMs: STATUS_TIMEOUT_MS });
    const items = Array.isArray(status?.needs_attention) ? status.needs_attention : [];
    return { items: items.map(attentionItem) };
  }

  return { voidLabel, needsAttention };
}
