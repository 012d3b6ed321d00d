/**
 * The worker's message router: constant message ids mapped to handlers, each handler open to
 * one kind of sender. Unknown ids and unexpected senders are refused before any handler runs.
 */
import { SENDER, failure, success } from '../shared/messages.js';
import { isSaleOrderHostUrl } from '../shared/sale-order-url.js';
import { BackendError } from './backend.js';

export class RouterError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'RouterError';
    this.code = code;
  }
}

/**
 * What sent a message: one of SENDER's values, or null for anything else (another extension,
 * a sub-frame, a page this extension has no business on).
 */
export function classifySender(sender, extensionId) {
  if (!sender || sender.id !== extensionId) return null;
  const extensionOrigin = `chrome-extension://${extensionId}`;
  const url = typeof sender.url === 'string' ? sender.url : '';
  if (url.startsWith(`${extensionOrigin}/`)) return SENDER.EXTENSION_PAGE;
  // Content scripts run in top frames only. sender.url is the document's URL as loaded; a
  // single-page app's history.pushState does not change it, so only the host is checked here.
  if (sender.tab && sender.frameId === 0 && isSaleOrderHostUrl(url)) return SENDER.CONTENT_SCRIPT;
  return null;
}

/**
 * routes: {[messageId]: {from: SENDER value, handle(payload, sender) → Promise<data>}}.
 * Returns route(message, sender) → Promise<data>, rejecting with RouterError when refused.
 */
export function createRouter(routes, extensionId) {
  return async function route(message, sender) {
    const type = typeof message === 'object' && message !== null ? message.type : undefined;
    if (typeof type !== 'string' || !Object.hasOwn(routes, type)) {
      throw new RouterError('unknown_message', `Unknown message id: ${String(type).slice(0, 80)}`);
    }
    const { from, handle } = routes[type];
    if (classifySender(sender, extensionId) !== from) {
      throw new RouterError('unexpected_sender', `Message ${type} is not accepted from this sender.`);
    }
    return handle(message.payload ?? {}, sender);
  };
}

function errorPayload(error) {
  if (error instanceof BackendError) return error.toPayload();
  if (error instanceof RouterError) return { code: error.code, message: error.message, retryable: false };
  console.error('labelbridge: unexpected error in the service worker', error);
  return { code: 'extension_error', message: 'Something went wrong inside the labelbridge extension. Try again.', retryable: false };
}

/** A chrome.runtime.onMessage listener answering `{ok, data}` or `{ok: false, error}`. */
export function messageListener(route) {
  return (message, sender, sendResponse) => {
    route(message, sender).then(
      (data) => sendResponse(success(data)),
      (error) => sendResponse(failure(errorPayload(error))),
    );
    return true; // the answer comes asynchronously
  };
}
