/**
 * What the print page says above a label or a batch's document, as plain strings (the page sets
 * them with textContent). A new shipment printed after a void says which voided label it
 * replaces, so the packer throws the old one away.
 */

/** "Replaces voided label <tracking>" for the answer's ``after_void`` (as kept in the job). */
export function replacesText(afterVoid) {
  const tracking = afterVoid.trackingNumbers.length ? afterVoid.trackingNumbers.join(', ') : '(no tracking number)';
  return `Replaces voided label ${tracking}`;
}

export function labelSummary(job) {
  const numericId = job.saleOrder.numericId ?? job.order.numericId;
  return [
    numericId && `Sale order ${numericId}`,
    job.carrier,
    job.trackingNumbers.length ? `Tracking ${job.trackingNumbers.join(', ')}` : 'No tracking number',
    job.reprint && 'Reprint',
    job.afterVoid && replacesText(job.afterVoid),
  ]
    .filter(Boolean)
    .join(' · ');
}

export function batchSummary(job) {
  const { batch, file } = job;
  return [
    `${batch.printed} printed`,
    batch.reprinted && `${batch.reprinted} reprinted`,
    `${batch.failed} failed`,
    file.pages && `${file.pages} ${file.pages === 1 ? 'page' : 'pages'}`,
    ...(batch.afterVoid ?? []).map((replaced) => `Sale order ${replaced.numericId}: ${replacesText(replaced)}`),
  ]
    .filter(Boolean)
    .join(' · ');
}
