/**
 * Print jobs: a printed label waiting for the print page, kept in chrome.storage.session
 * (memory only, and by default out of content scripts' reach). The print page marks a job
 * printed before it opens the print dialog, so reloading that page never prints twice.
 */

const JOB_PREFIX = 'printJob:';
const INDEX_KEY = 'printJobIds';
// Labels are tens of kilobytes; session storage holds 10 MB. Keep the few a packer may reopen.
export const PRINT_JOBS_KEPT = 10;

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
