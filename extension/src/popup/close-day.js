/**
 * The popup's "Close the day": asks how many of today's shipments each carrier has, shows the
 * counts, and only on Confirm has the worker make one manifest per carrier (the worker opens
 * each manifest's PDF). A carrier Starshipit refused is listed with Starshipit's words. Written
 * with textContent only.
 */
import { MESSAGE } from '../shared/messages.js';

/** One line per carrier of the preview: "StarTrack · 3 shipments". */
export function countLine({ carrier, orders }) {
  return `${carrier} · ${orders} ${orders === 1 ? 'shipment' : 'shipments'}`;
}

/** One line per manifest made: its number (or that it is unknown), or why it failed. */
export function manifestLine(manifest) {
  if (manifest.state === 'done') {
    const number = manifest.number ? `manifest ${manifest.number}` : 'manifest number unknown';
    return { tone: 'success', text: `${manifest.carrier} · ${number} · ${manifest.orders} shipments (PDF opened)` };
  }
  if (manifest.state === 'unconfirmed') {
    return { tone: 'error', text: `${manifest.carrier} · not confirmed: ${manifest.error} Check it in Starshipit before closing again.` };
  }
  return { tone: 'error', text: `${manifest.carrier} · failed: ${manifest.error}` };
}

/** deps: document, send(message) → reply (chrome.runtime.sendMessage). */
export function createCloseDay({ document, send }) {
  const element = (id) => document.getElementById(id);

  function showStatus(message, tone = 'neutral') {
    element('close-day-status').textContent = message;
    element('close-day-status').dataset.tone = tone;
  }

  function showLines(lines) {
    element('close-day-list').replaceChildren(
      ...lines.map(({ text, tone }) => {
        const item = document.createElement('li');
        item.textContent = text;
        if (tone) item.dataset.tone = tone;
        return item;
      }),
    );
  }

  async function preview() {
    element('close-day-confirm').hidden = true;
    showLines([]);
    showStatus('Counting today’s shipments…');
    const reply = await send({ type: MESSAGE.MANIFEST_PREVIEW });
    if (!reply?.ok) {
      showStatus(reply?.error?.message ?? 'The labelbridge extension did not answer.', 'error');
      return;
    }
    if (reply.data.total === 0) {
      showStatus('Nothing to manifest: every shipment printed today is in a manifest already.');
      return;
    }
    showLines(reply.data.carriers.map((count) => ({ text: countLine(count) })));
    showStatus(`${reply.data.total} shipments to hand over. Confirm to manifest them, one manifest per carrier.`);
    element('close-day-confirm').hidden = false;
  }

  async function confirm() {
    element('close-day-confirm').hidden = true;
    element('close-day').disabled = true;
    showStatus('Manifesting…');
    try {
      const reply = await send({ type: MESSAGE.CLOSE_DAY, payload: { confirm: true } });
      if (!reply?.ok) {
        showStatus(reply?.error?.message ?? 'The labelbridge extension did not answer.', 'error');
        return;
      }
      const lines = reply.data.manifests.map(manifestLine);
      showLines(lines);
      const failed = lines.filter((line) => line.tone === 'error').length;
      if (!lines.length) showStatus('Nothing was left to manifest: another bench closed the day.');
      else showStatus(failed ? `${failed} carrier(s) not manifested: see why above.` : 'The day is closed.', failed ? 'error' : 'success');
    } finally {
      element('close-day').disabled = false;
    }
  }

  element('close-day').addEventListener('click', preview);
  element('close-day-confirm').addEventListener('click', confirm);
  return { preview, confirm };
}
