/**
 * The content script's one way to reach the service worker. It always resolves to a reply
 * (`{ok, data}` or `{ok: false, error}`), turning a lost worker into words.
 */
import { failure } from '../shared/messages.js';

const EXTENSION_RELOADED = Object.freeze({
  code: 'extension_reloaded',
  message: 'The labelbridge extension was updated or reloaded: reload this page to use it.',
  retryable: false,
});

// The worker may have stopped mid-request: the retry sends the same Idempotency-Key, so the
// backend replays what it did instead of printing twice.
const WORKER_UNAVAILABLE = Object.freeze({
  code: 'worker_unavailable',
  message: 'Lost contact with the labelbridge extension. Retry: it will not print twice.',
  retryable: true,
});

export function createSender(runtime) {
  return async function send(type, payload) {
    if (!runtime?.id) return failure(EXTENSION_RELOADED);
    try {
      return (await runtime.sendMessage({ type, payload })) ?? failure(WORKER_UNAVAILABLE);
    } catch {
      return runtime.id ? failure(WORKER_UNAVAILABLE) : failure(EXTENSION_RELOADED);
    }
  };
}
