/**
 * The print page: shows one print job's label and opens the print dialog once. The job is marked
 * printed in chrome.storage.session before the dialog opens, so reloading this page shows the
 * label again but never prints it again by itself.
 */
import { base64ToBytes } from '../shared/base64.js';
import { getPrintJob, markPrintJobPrinted } from '../shared/print-jobs.js';
import { getSettings } from '../shared/settings.js';
import { labelFileName, labelFileType } from './label-file.js';

const element = (id) => document.getElementById(id);

function setState(state, message = '') {
  document.body.dataset.jobState = state;
  element('status').textContent = message;
}

function showSummary(job) {
  const reference = job.saleOrder.customerReference || `Sale order ${job.saleOrder.numericId ?? job.order.numericId ?? ''}`;
  const numericId = job.saleOrder.numericId ?? job.order.numericId;
  element('title').textContent = `Shipping label · ${reference}`;
  element('summary').textContent = [
    numericId && `Sale order ${numericId}`,
    job.carrier,
    job.trackingNumbers.length ? `Tracking ${job.trackingNumbers.join(', ')}` : 'No tracking number',
    job.reprint && 'Reprint',
  ]
    .filter(Boolean)
    .join(' · ');
  document.title = `${reference} · label · labelbridge`;
}

function showLabel(target, url) {
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
  showSummary(job);
  const type = labelFileType(job.label.format);
  const url = URL.createObjectURL(new Blob([base64ToBytes(job.label.contentBase64)], { type: type.mime }));
  const download = element('download');
  download.href = url;
  download.download = labelFileName(job, type.extension);
  download.hidden = false;
  if (type.display === 'download') {
    setState('download', `This label is in ${job.label.format.toUpperCase()} format: download it and send it to your label printer.`);
    return;
  }
  const frame = element('label-frame');
  await showLabel(type.display === 'frame' ? frame : element('label-image'), url);
  const printTarget = type.display === 'frame' ? frame.contentWindow : window;
  const printButton = element('print');
  printButton.hidden = false;
  printButton.addEventListener('click', () => printOnce(job, printTarget));
  if (job.printedAt) {
    const time = new Date(job.printedAt).toLocaleTimeString();
    setState('already-printed', `Already sent to the printer at ${time}. Use Print to print it again.`);
    return;
  }
  const { autoPrint } = await getSettings();
  if (autoPrint) await printOnce(job, printTarget);
  else setState('ready', 'Auto-print is off: use Print when the printer is ready.');
}

main();
