/**
 * Batch printing from the Sale Orders list. The content script names the ticked orders; the
 * worker checks them, makes the batch id, POSTs /api/v1/labels/batch and, while that runs, polls
 * GET /api/v1/labels/batches/{id} (one poll at a time) to tell the tab how far it has got. The
 * merged document goes to the print page as a print job that holds no bytes: the page asks the
 * worker for them (batchFile), so a batch of 100 labels never has to fit in session storage.
 */
import { MAX_BATCH } from '../shared/messages.js';
import { isNumericId, isTenantSlug, isUuid } from '../shared/sale-order-url.js';
import { savePrintJob } from '../shared/print-jobs.js';
import { bytesToBase64 } from '../shared/base64.js';
import { BackendError } from './backend.js';
import { printerDelivery } from './order-handlers.js';
import { SHAPE, expectShape } from './response-shapes.js';

export const POLL_INTERVAL_MS = 500;
// The backend prints a batch in one request; 100 orders at Starshipit's rate limit take minutes.
const BATCH_TIMEOUT_MS = 10 * 60_000;
const POLL_TIMEOUT_MS = 5_000;
const FILE_TIMEOUT_MS = 60_000;

function invalidMessage(what) {
  return new BackendError({ code: 'invalid_message', message: `The page sent an invalid ${what}.` });
}

/** The content script's request, checked field by field; throws on anything else. */
export function readBatchRequest(payload) {
  const tenantSlug = payload?.list?.tenantSlug;
  if (!isTenantSlug(tenantSlug)) throw invalidMessage('list');
  const { numericIds } = payload;
  if (!Array.isArray(numericIds) || numericIds.length === 0 || numericIds.length > MAX_BATCH) {
    throw invalidMessage(`selection (1 to ${MAX_BATCH} orders)`);
  }
  if (!numericIds.every(isNumericId) || new Set(numericIds).size !== numericIds.length) throw invalidMessage('selection');
  return { tenantSlug, numericIds };
}

/** What the list page shows: counts, the failed orders with their reasons, the printer's outcome. */
function batchSummary(response) {
  const { batch, results, printer } = response;
  return {
    batchId: batch.id,
    total: batch.total,
    printed: batch.printed,
    reprinted: batch.reprinted,
    failed: batch.failed,
    failures: results
      .filter((result) => result.status === 'failed')
      .map((result) => ({
        numericId: result.sale_order.numeric_id ?? null,
        code: result.error?.code ?? null,
        message: result.error?.message ?? 'Not printed.',
      })),
    printer: printerDelivery(printer),
    // A finished batch without a document says why (no label printed, formats that do not merge).
    fileError: response.file ? null : (response.file_error ?? null),
  };
}

/** The new shipments of a batch that replace voided labels, for the print page. */
function replacedVoided(results) {
  return results
    .filter((result) => result.after_void)
    .map((result) => ({ numericId: result.sale_order.numeric_id ?? null, trackingNumbers: result.after_void.tracking_numbers }));
}

/** The POST's outcome as data, so the poll loop can race it without an unhandled rejection. */
function settle(promise) {
  return promise.then((body) => ({ body }), (error) => ({ error }));
}

/**
 * deps: {backendClient() → client, storage: {session}, newId(), now(), openPrintPage(jobId, tab),
 * sendProgress(tab, frameId, payload), sleep(ms)}.
 */
export function createBatchHandlers({ backendClient, storage, newId, now, openPrintPage, sendProgress, sleep }) {
  /** One poll: the batch so far, or null when the backend has not started it yet or did not answer. */
  async function poll(client, batchId) {
    try {
      return expectShape(SHAPE.BATCH, await client.requestJson('GET', `/api/v1/labels/batches/${batchId}`, { timeoutMs: POLL_TIMEOUT_MS }));
    } catch (error) {
      if (error instanceof BackendError && (error.status === 404 || error.retryable)) return null;
      throw error;
    }
  }

  /**
   * The batch's final answer: the POST's, relaying each poll's progress while it runs. If the
   * connection of the POST itself is lost (no HTTP answer), the backend may still be printing:
   * the polls go on until the batch is finished, as long as they find it.
   */
  async function runBatch(client, batchId, body, progress) {
    const deadline = now() + BATCH_TIMEOUT_MS;
    let posted = settle(client.requestJson('POST', '/api/v1/labels/batch', { body, timeoutMs: BATCH_TIMEOUT_MS }));
    let lost = null;
    for (;;) {
      const outcome = await Promise.race([posted, sleep(POLL_INTERVAL_MS).then(() => null)]);
      if (outcome?.body) return expectShape(SHAPE.BATCH, outcome.body);
      if (outcome?.error) {
        const noAnswer = outcome.error instanceof BackendError && outcome.error.status === null && outcome.error.retryable;
        if (!noAnswer) throw outcome.error;
        lost = outcome.error;
        posted = new Promise(() => {}); // from now on only the polls can tell
      }
      if (now() > deadline) {
        throw new BackendError({
          code: 'batch_timeout',
          message: 'The batch is taking too long: check the orders on the list before printing them again.',
        });
      }
      const current = await poll(client, batchId);
      if (lost && !current) throw lost;
      if (current) await progress(current.batch);
      if (lost && current.batch.state === 'finished') return current;
    }
  }

  async function printBatch(payload, sender) {
    const { tenantSlug, numericIds } = readBatchRequest(payload);
    const client = await backendClient();
    const batchId = newId();
    const body = { batch_id: batchId, sale_orders: numericIds.map((numericId) => ({ numeric_id: numericId })), tenant_slug: tenantSlug };
    const progress = ({ done, total }) => sendProgress(sender.tab, sender.frameId, { batchId, done, total });
    const response = await runBatch(client, batchId, body, progress);
    const summary = batchSummary(response);
    if (response.file) {
      const job = {
        id: newId(),
        createdAt: now(),
        printedAt: null,
        batch: {
          id: batchId,
          total: summary.total,
          printed: summary.printed,
          reprinted: summary.reprinted,
          failed: summary.failed,
          afterVoid: replacedVoided(response.results),
        },
        file: { format: response.file.format.toLowerCase(), layout: response.file.layout, pages: response.file.pages },
        printer: summary.printer,
      };
      await savePrintJob(job, storage.session);
      await openPrintPage(job.id, sender.tab);
    }
    return { ...summary, opened: Boolean(response.file) };
  }

  /** The merged document of a batch this browser printed, for the print page. */
  async function batchFile(payload) {
    if (!isUuid(payload.batchId)) throw invalidMessage('batch id');
    const client = await backendClient();
    const bytes = await client.requestBytes(`/api/v1/labels/batches/${payload.batchId.toLowerCase()}/file`, { timeoutMs: FILE_TIMEOUT_MS });
    return { contentBase64: bytesToBase64(bytes) };
  }

  return { printBatch, batchFile };
}
