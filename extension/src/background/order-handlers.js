/**
 * What the content script may ask: look an order up, print its label. The worker reads the
 * backend address and token from storage on every call (it keeps no state of its own: Chrome
 * stops it at will) and sends the backend only identifiers it has checked.
 */
import { isUuid, readOrderRef } from '../shared/sale-order-url.js';
import { savePrintJob } from '../shared/print-jobs.js';
import { addRecentPrint } from '../shared/recent-prints.js';
import { bytesToBase64 } from '../shared/base64.js';
import { BackendError } from './backend.js';
import { configuredClient } from './configured-client.js';
import { SHAPE, expectShape } from './response-shapes.js';

const LOOKUP_TIMEOUT_MS = 8_000;
// Printing waits on Starshipit; the backend's own upstream read timeout is 20 s.
const PRINT_TIMEOUT_MS = 30_000;

/** The network printer's outcome (PrinterDelivery) as the print page and the button use it. */
export function printerDelivery(printer) {
  return printer ? { name: printer.name, status: printer.status, message: printer.message, warnings: printer.warnings } : null;
}

function invalidMessage(what) {
  return new BackendError({ code: 'invalid_message', message: `The page sent an invalid ${what}.` });
}

/** The backend's way of naming an order: exactly one identifier plus the tenant slug. */
function saleOrderIdentifier(order) {
  return order.numericId ? { numeric_id: order.numericId } : { id: order.id };
}

function withTenant(fields, order) {
  return order.tenantSlug ? { ...fields, tenant_slug: order.tenantSlug } : fields;
}

/** Only what the content script needs: never the label bytes, never the token. */
function saleOrderSummary(saleOrder) {
  const { id, numeric_id: numericId, customer_reference: customerReference } = saleOrder;
  return { id, numericId, customerReference };
}

async function labelBase64(label, client) {
  if (label.content_base64) return label.content_base64;
  // The contract lets an answer leave the bytes out: the stored label is then fetched once.
  const path = `/api/v1/labels/${encodeURIComponent(label.id)}/file`;
  return bytesToBase64(await client.requestBytes(path, { timeoutMs: PRINT_TIMEOUT_MS }));
}

/**
 * deps: {storage: {local, session}, fetchImpl, openPrintPage(jobId, tab), newId(), now()}.
 * Returns the handlers, ready for the router.
 */
export function createOrderHandlers({ storage, fetchImpl, openPrintPage, newId, now }) {
  const backendClient = configuredClient({ storage, fetchImpl, now });

  async function lookupOrder(payload) {
    const order = readOrderRef(payload.order);
    if (!order) throw invalidMessage('order');
    const client = await backendClient();
    const response = expectShape(
      SHAPE.LOOKUP,
      await client.requestJson('GET', '/api/v1/orders/lookup', {
        query: withTenant(saleOrderIdentifier(order), order),
        timeoutMs: LOOKUP_TIMEOUT_MS,
      }),
    );
    return {
      saleOrder: saleOrderSummary(response.sale_order),
      state: response.state,
      carrier: response.carrier,
      trackingNumbers: response.tracking_numbers,
    };
  }

  async function printLabel(payload, sender) {
    const order = readOrderRef(payload.order);
    if (!order) throw invalidMessage('order');
    if (!isUuid(payload.idempotencyKey)) throw invalidMessage('idempotency key');
    const client = await backendClient();
    const response = expectShape(
      SHAPE.PRINT,
      await client.requestJson('POST', '/api/v1/labels', {
        body: withTenant({ sale_order: saleOrderIdentifier(order) }, order),
        headers: { 'Idempotency-Key': payload.idempotencyKey },
        timeoutMs: PRINT_TIMEOUT_MS,
      }),
    );
    const job = {
      id: newId(),
      createdAt: now(),
      printedAt: null,
      order,
      saleOrder: saleOrderSummary(response.sale_order),
      carrier: response.carrier,
      trackingNumbers: response.tracking_numbers,
      reprint: response.reprint,
      label: {
        id: response.label.id,
        format: response.label.format.toLowerCase(),
        layout: response.label.layout ?? null,
        contentBase64: await labelBase64(response.label, client),
      },
      printer: printerDelivery(response.printer),
      // The packing slip is fetched only when the packer asks for it on the print page.
      packingSlip: response.packing_slip ? { labelId: response.label.id } : null,
    };
    await savePrintJob(job, storage.session);
    await addRecentPrint(
      { at: job.createdAt, saleOrder: job.saleOrder, carrier: job.carrier, trackingNumbers: job.trackingNumbers, reprint: job.reprint },
      storage.local,
    );
    await openPrintPage(job.id, sender.tab);
    return {
      saleOrder: job.saleOrder,
      carrier: job.carrier,
      trackingNumbers: job.trackingNumbers,
      reprint: job.reprint,
      writeback: response.writeback,
      printer: job.printer && { name: job.printer.name, status: job.printer.status },
    };
  }

  /** The packing slip of a label printed from this browser, for the print page. */
  async function packingSlip(payload) {
    if (!isUuid(payload.labelId)) throw invalidMessage('label id');
    const client = await backendClient();
    const path = `/api/v1/labels/${payload.labelId.toLowerCase()}/packing-slip`;
    return { contentBase64: bytesToBase64(await client.requestBytes(path, { timeoutMs: PRINT_TIMEOUT_MS })) };
  }

  return { lookupOrder, printLabel, packingSlip };
}
