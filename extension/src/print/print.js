/**
 * The print page: shows one print job — a label, or the merged document of a batch — and opens
 * the print dialog once. The job is marked printed in chrome.storage.session before the dialog
 * opens, so reloading this page shows the document again but never prints it again by itself.
 * When a network printer took the job there is no print dialog; when it failed, the browser
 * prints instead. A batch's bytes and a packing slip come from the worker, the only caller of the
 * backend.
 */
import { base64ToBytes } from '../shared/base64.js';
import { MESSAGE } from '../shared/messages.js';
import { getPrintJob, markPrintJobPrinted } from '../shared/print-jobs.js';
import { getSettings } from '../shared/settings.js';
import { labelFileName, labelFileType } from './label-file.js';
import { printerOutcome } from './printer-outcome.js';
import { batchSummary, labelSummary } from './summaries.js';

const element = (id) => document.getElementById(id);

function setState(state, message = '') {
  document.body.dataset.jobState = state;
  element('status').textContent = message;
}

function showLabelSummary(job) {
  const reference = job.saleOrder.customerReference || `Sale order ${job.saleOrder.numericId ?? job.order.numericId ?? ''}`;
  element('title').textContent = `${job.kind === 'return' ? 'Return label' : 'Shipping label'} · ${reference}`;
  element('summary').textContent = labelSummary(job);
  document.title = `${reference} · label · labelbridge`;
}

function showManifestSummary(job) {
  const { manifest } = job;
  element('title').textContent = `Manifest · ${manifest.carrier}`;
  element('summary').textContent = [
    manifest.number ? `No. ${manifest.number}` : `Number unknown (labelbridge manifest ${manifest.id})`,
    `${manifest.orders} ${manifest.orders === 1 ? 'shipment' : 'shipments'}`,
  ].join(' · ');
  document.title = `${manifest.carrier} manifest · labelbridge`;
}

function showBatchSummary(job) {
  const { batch } = job;
  const labels = batch.printed + batch.reprinted;
  element('title').textContent = `Shipping labels · ${labels} ${labels === 1 ? 'order' : 'orders'}`;
  element('summary').textContent = batchSummary(job);
  document.title = `${labels} labels · labelbridge`;
}

function showPrinterNotices(outcome) {
  const list = element('printer-notices');
  list.dataset.tone = outcome.tone ?? '';
  list.replaceChildren(
    ...outcome.notices.map((text) => {
      const item = document.createElement('li');
      item.textContent = text;
      return item;
    }),
  );
}

/** Bytes from the worker (a batch's document, a packing slip), or null after saying why not. */
async function bytesFromWorker(type, payload, what) {
  const reply = await chrome.runtime.sendMessage({ type, payload }).catch(() => null);
  if (reply?.ok) return base64ToBytes(reply.data.contentBase64);
  setState('file-failed', `Could not load the ${what}: ${reply?.error?.message ?? 'the labelbridge extension did not answer.'}`);
  return null;
}

function showInFrame(target, url) {
  const loaded = new Promise((resolve) => target.addEventListener('load', resolve, { once: true }));
  target.src = url;
  target.hidden = false;
  return loaded;
}

async function printOnce(job, printTarget) {
  // Marked first: a reload while the dialog is open must find the job already printed.
  await markPrintJobPrinted(job.id, Date.now());
  try {
    printTarget.focus();
    printTarget.print();
    setState('printed', 'Sent to the print dialog. If nothing printed, use Download label.');
  } catch {
    setState('print-failed', 'The print dialog did not open here: use Download label and print the file.');
  }
}

/** The "Print packing slip" action: fetched on demand, shown beside the label, printed. */
function offerPackingSlip(packingSlip) {
  const button = element('packing-slip');
  button.hidden = false;
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const bytes = await bytesFromWorker(MESSAGE.PACKING_SLIP, { labelId: packingSlip.labelId }, 'packing slip');
      if (!bytes) return;
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
      const download = element('packing-slip-download');
      download.href = url;
      download.download = 'packing-slip.pdf';
      download.hidden = false;
      // Made on demand: most print pages never show a packing slip.
      const frame = element('slip-frame') ?? Object.assign(document.createElement('iframe'), { id: 'slip-frame', title: 'Packing slip' });
      element('label-frame').after(frame);
      await showInFrame(frame, url);
      frame.contentWindow.focus();
      frame.contentWindow.print();
    } finally {
      button.disabled = false;
    }
  });
}

async function main() {
  const jobId = new URLSearchParams(location.search).get('job');
  const job = jobId ? await getPrintJob(jobId) : null;
  if (!job) {
    setState(
      'missing',
      'This label is no longer here (the browser restarted, or newer labels replaced it). Print it again from the order page: that reprints the same shipment.',
    );
    return;
  }
  if (job.batch) showBatchSummary(job);
  else if (job.manifest) showManifestSummary(job);
  else showLabelSummary(job);
  const outcome = printerOutcome(job.printer);
  showPrinterNotices(outcome);
  if (job.packingSlip) offerPackingSlip(job.packingSlip);
  const format = job.batch ? job.file.format : job.label.format;
  const bytes = job.batch
    ? await bytesFromWorker(MESSAGE.BATCH_FILE, { batchId: job.batch.id }, 'labels of this batch')
    : base64ToBytes(job.label.contentBase64);
  if (!bytes) return;
  const type = labelFileType(format);
  const url = URL.createObjectURL(new Blob([bytes], { type: type.mime }));
  const download = element('download');
  download.href = url;
  download.download = labelFileName(job, type.extension);
  download.hidden = false;
  if (type.display === 'download') {
    const shown = outcome.openDialog ? '' : ' It was also sent to the printer.';
    setState('download', `This label is in ${format.toUpperCase()} format: download it and send it to your label printer.${shown}`);
    return;
  }
  const frame = element('label-frame');
  await showInFrame(type.display === 'frame' ? frame : element('label-image'), url);
  const printTarget = type.display === 'frame' ? frame.contentWindow : window;
  const printButton = element('print');
  printButton.hidden = false;
  printButton.addEventListener('click', () => printOnce(job, printTarget));
  if (job.printedAt) {
    const time = new Date(job.printedAt).toLocaleTimeString();
    setState('already-printed', `Already sent to the printer at ${time}. Use Print to print it again.`);
    return;
  }
  if (!outcome.openDialog) {
    await markPrintJobPrinted(job.id, Date.now());
    setState('sent-to-printer', 'No print dialog needed. Use Print to print it from the browser as well.');
    return;
  }
  const { autoPrint } = await getSettings();
  if (autoPrint) await printOnce(job, printTarget);
  else setState('ready', 'Auto-print is off: use Print when the printer is ready.');
}

main();
