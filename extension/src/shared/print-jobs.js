/**
 * Print jobs: a printed label waiting for the print page, kept in chrome.storage.session
 * (memory only, and by default out of content scripts' reach). The print page marks a job
 * printed before it opens the print dialog, so reloading that page never prints twice.
 */

const JOB_PREFIX = 'printJob:';
const INDEX_KEY = 'printJobIds';
// Labels are tens of kilobytes; session storage holds 10 MB. Keep the few a packer may reopen.
export const PRINT_JOBS_KEPT = 10;

/**
 * The job for a label the backend answered (a print, a reprint or a return): ``contentBase64`` the
 * label's bytes, ``kind`` 'return' for a return label, ``printer`` and ``packingSlip`` as the
 * print page shows them.
 */
export function labelPrintJob({ id, createdAt, order, response, contentBase64, kind, printer = null, packingSlip = null }) {
  const { id: saleOrderId, numeric_id: numericId, customer_reference: customerReference } = response.sale_order;
  return {
    id,
    ...(kind ? { kind } : {}),
    createdAt,
    printedAt: null,
    order,
    saleOrder: { id: saleOrderId, numericId, customerReference },
    carrier: response.carrier,
    trackingNumbers: response.tracking_numbers,
    reprint: response.reprint,
    // A new shipment after a void: the voided label it replaces (a return's answer has none).
    afterVoid: response.after_void
      ? { labelId: response.after_void.label_id, trackingNumbers: response.after_void.tracking_numbers }
      : null,
    label: {
      id: response.label.id,
      format: response.label.format.toLowerCase(),
      layout: response.label.layout ?? null,
      contentBase64,
    },
    printer,
    packingSlip,
  };
}

export async function savePrintJob(job, storage = chrome.storage.session) {
  const { [INDEX_KEY]: ids } = await storage.get({ [INDEX_KEY]: [] });
  const kept = [job.id, ...ids.filter((id) => id !== job.id)];
  const dropped = kept.splice(PRINT_JOBS_KEPT);
  await storage.set({ [`${JOB_PREFIX}${job.id}`]: job, [INDEX_KEY]: kept });
  if (dropped.length) await storage.remove(dropped.map((id) => `${JOB_PREFIX}${id}`));
}

export async function getPrintJob(id, storage = chrome.storage.session) {
  const key = `${JOB_PREFIX}${id}`;
  const stored = await storage.get(key);
  return stored[key] ?? null;
}

export async function markPrintJobPrinted(id, printedAt, storage = chrome.storage.session) {
  const job = await getPrintJob(id, storage);
  if (!job) return null;
  const updated = { ...job, printedAt };
  await storage.set({ [`${JOB_PREFIX}${id}`]: updated });
  return updated;
}
