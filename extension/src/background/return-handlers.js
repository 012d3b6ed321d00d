/**
 * The Details panel's Return label: the backend makes the order's return once (and reprints it
 * after); the worker keeps the label for the print page and opens it, as for a shipping label.
 */
import { isUuid, readOrderRef } from '../shared/sale-order-url.js';
import { labelPrintJob, savePrintJob } from '../shared/print-jobs.js';
import { BackendError } from './backend.js';
import { SHAPE, expectShape } from './response-shapes.js';

// A return waits on two Starshipit calls (clone, then print), each at most the backend's 20 s.
const RETURN_TIMEOUT_MS = 45_000;

function invalidMessage(what) {
  return new BackendError({ code: 'invalid_message', message: `The Details panel sent an invalid ${what}.` });
}

/** deps: {backendClient(), storage: {session}, openPrintPage(jobId, tab), newId(), now()}. */
export function createReturnHandlers({ backendClient, storage, openPrintPage, newId, now }) {
  async function returnLabel(payload, sender) {
    const order = readOrderRef(payload.order);
    if (!order) throw invalidMessage('order');
    if (!isUuid(payload.labelId)) throw invalidMessage('label id');
    const client = await backendClient();
    const response = expectShape(
      SHAPE.RETURN,
      await client.requestJson('POST', `/api/v1/labels/${payload.labelId.toLowerCase()}/return`, {
        timeoutMs: RETURN_TIMEOUT_MS,
      }),
    );
    const job = labelPrintJob({
      id: newId(),
      createdAt: now(),
      order,
      response,
      contentBase64: response.label.content_base64,
      kind: 'return',
    });
    await savePrintJob(job, storage.session);
    await openPrintPage(job.id, sender.tab);
    return { labelId: job.label.id, carrier: job.carrier, trackingNumbers: job.trackingNumbers, reprint: job.reprint };
  }

  return { returnLabel };
}
