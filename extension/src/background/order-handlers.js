/**
 * What the content script may ask: look an order up, print its label. The worker reads the
 * backend address and token from storage on every call (it keeps no state of its own: Chrome
 * stops it at will) and sends the backend only identifiers it has checked.
 */
import { isUuid, readOrderRef } from '../shared/sale-order-url.js';
import { labelPrintJob, savePrintJob } from '../shared/print-jobs.js';
import { addRecentPrint } from '../shared/recent-prints.js';
import { bytesToBase64 } from '../shared/base64.js';
import { BackendError } from './backend.js';
import { configuredClient } from './configured-client.js';
import { SHAPE, expectShape } from './response-shapes.js';

const LOOKUP_TIMEOUT_MS = 8_000;
// Printing waits on Starshipit; the backend's own upstream read timeout is 20 s.
const PRINT_TIMEOUT_MS = 30_000;
// Rates wait on CartonCloud and Starshipit, each at most the backend's 20 s.
const RATES_TIMEOUT_MS = 30_000;
const MAX_REASON_LENGTH = 500;

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

/** A service as the backend takes it, from what the menu offered; null when there is none. */
function readService(service) {
  if (service === undefined || service === null) return null;
  const code = service?.carrierServiceCode;
  const carrier = service?.carrier ?? null;
  if (typeof code !== 'string' || !code || code.length > 50) throw invalidMessage('service');
  if (carrier !== null && (typeof carrier !== 'string' || !carrier || carrier.length > 100)) throw invalidMessage('service');
  return { carrier, carrier_service_code: code };
}

/** The path segment naming the order: its numericId, else its UUID. */
function orderSegment(order) {
  return encodeURIComponent(order.numericId ?? order.id);
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
      labelId: response.label?.id ?? null,
      returnPrinted: Boolean(response.return_label),
    };
  }

  async function printLabel(payload, sender) {
    const order = readOrderRef(payload.order);
    if (!order) throw invalidMessage('order');
    if (!isUuid(payload.idempotencyKey)) throw invalidMessage('idempotency key');
    const service = readService(payload.service);
    const client = await backendClient();
    const body = withTenant({ sale_order: saleOrderIdentifier(order) }, order);
    const response = expectShape(
      SHAPE.PRINT,
      await client.requestJson('POST', '/api/v1/labels', {
        body: service ? { ...body, service } : body,
        headers: { 'Idempotency-Key': payload.idempotencyKey },
        timeoutMs: PRINT_TIMEOUT_MS,
      }),
    );
    return deliver(order, response, client, sender);
  }

  /** A new label replacing `labelId`, booked with the chosen service, for the reason given. */
  async function redoLabel(payload, sender) {
    const order = readOrderRef(payload.order);
    if (!order) throw invalidMessage('order');
    if (!isUuid(payload.labelId)) throw invalidMessage('label id');
    const reason = typeof payload.reason === 'string' ? payload.reason.trim() : '';
    if (!reason || reason.length > MAX_REASON_LENGTH) throw invalidMessage('reason');
    const service = readService(payload.service);
    const client = await backendClient();
    const response = expectShape(
      SHAPE.PRINT,
      await client.requestJson('POST', `/api/v1/labels/${payload.labelId.toLowerCase()}/redo`, {
        body: { confirm: true, reason, ...(service ? { service } : {}) },
        timeoutMs: PRINT_TIMEOUT_MS,
      }),
    );
    return deliver(order, response, client, sender);
  }

  /** The services for the order, as the menu shows them. */
  async function orderRates(payload) {
    const order = readOrderRef(payload.order);
    if (!order) throw invalidMessage('order');
    const client = await backendClient();
    const response = expectShape(
      SHAPE.RATES,
      await client.requestJson('GET', `/api/v1/orders/${orderSegment(order)}/rates`, { timeoutMs: RATES_TIMEOUT_MS }),
    );
    return {
      rates: response.rates.map((rate) => ({
        carrier: rate.carrier,
        carrierName: rate.carrier_name,
        serviceName: rate.service_name,
        carrierServiceCode: rate.carrier_service_code,
        price: rate.price,
        currency: rate.currency,
        eta: rate.eta,
        rulesChoice: rate.rules_choice,
      })),
      cached: response.cached,
      message: response.message,
    };
  }

  /** The printed label kept for the print page, added to the recent prints, and the print page opened. */
  async function deliver(order, response, client, sender) {
    const job = labelPrintJob({
      id: newId(),
      createdAt: now(),
      order,
      response,
      contentBase64: await labelBase64(response.label, client),
      printer: printerDelivery(response.printer),
      // The packing slip is fetched only when the packer asks for it on the print page.
      packingSlip: response.packing_slip ? { labelId: response.label.id } : null,
    });
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
      labelId: job.label.id,
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

  return { lookupOrder, printLabel, redoLabel, orderRates, packingSlip };
}
