/**
 * The popup's Close the day: first how many of today's shipments each carrier's manifest would
 * hold, then (confirmed) the manifests, each PDF opened on the print page, and each carrier
 * Starshipit refused in its own words.
 */
import { bytesToBase64 } from '../shared/base64.js';
import { savePrintJob } from '../shared/print-jobs.js';
import { BackendError } from './backend.js';
import { SHAPE, expectShape } from './response-shapes.js';

const PREVIEW_TIMEOUT_MS = 10_000;
// One Starshipit call per carrier, each at most the backend's 20 s.
const CLOSE_TIMEOUT_MS = 120_000;

/** deps: {backendClient(), storage: {session}, openPrintPage(jobId, tab), newId(), now()}. */
export function createDayHandlers({ backendClient, storage, openPrintPage, newId, now }) {
  async function manifestPreview() {
    const client = await backendClient();
    const response = expectShape(
      SHAPE.MANIFEST_PREVIEW,
      await client.requestJson('GET', '/api/v1/manifests/preview', { timeoutMs: PREVIEW_TIMEOUT_MS }),
    );
    return { carriers: response.carriers.map(({ carrier, orders }) => ({ carrier, orders })), total: response.total };
  }

  async function openManifest(client, manifest, sender) {
    const path = `/api/v1/manifests/${encodeURIComponent(String(manifest.id))}/file`;
    const contentBase64 = bytesToBase64(await client.requestBytes(path, { timeoutMs: PREVIEW_TIMEOUT_MS }));
    const job = {
      id: newId(),
      kind: 'manifest',
      createdAt: now(),
      printedAt: null,
      manifest: { id: manifest.id, carrier: manifest.carrier, number: manifest.manifest_number, orders: manifest.orders },
      label: { id: String(manifest.id), format: 'pdf', layout: null, contentBase64 },
      printer: null,
      packingSlip: null,
    };
    await savePrintJob(job, storage.session);
    await openPrintPage(job.id, sender.tab);
  }

  async function closeDay(payload, sender) {
    if (payload.confirm !== true) {
      throw new BackendError({ code: 'invalid_message', message: 'Closing the day needs the confirmation.' });
    }
    const client = await backendClient();
    const response = expectShape(
      SHAPE.MANIFESTS,
      await client.requestJson('POST', '/api/v1/manifests', { body: { confirm: true }, timeoutMs: CLOSE_TIMEOUT_MS }),
    );
    for (const manifest of response.manifests) {
      if (manifest.file) await openManifest(client, manifest, sender);
    }
    return {
      manifests: response.manifests.map((manifest) => ({
        carrier: manifest.carrier,
        state: manifest.state,
        number: manifest.manifest_number,
        orders: manifest.orders,
        error: manifest.error,
      })),
    };
  }

  return { manifestPreview, closeDay };
}
