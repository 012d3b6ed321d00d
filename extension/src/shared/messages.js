/**
 * The whole vocabulary between the extension's parts: every message carries one of these
 * ids as `type`; the service worker's router refuses anything else.
 */
export const MESSAGE = Object.freeze({
  /** content script → worker: what does the backend know about this order? */
  LOOKUP_ORDER: 'labelbridge/lookup-order',
  /** content script → worker: print (or reprint) this order's label. */
  PRINT_LABEL: 'labelbridge/print-label',
  /** popup → worker: check the backend, the token and the backend's own upstream check. */
  TEST_CONNECTION: 'labelbridge/test-connection',
  /** worker → content script: the keyboard shortcut was pressed on this tab. */
  PRINT_FROM_SHORTCUT: 'labelbridge/print-from-shortcut',
  /** content script → worker: open the Details panel for this order. */
  OPEN_DETAILS: 'labelbridge/open-details',
  /** Details panel → worker: the order's preview (mapping, warnings) and history. */
  ORDER_DETAILS: 'labelbridge/order-details',
});

/** Who may send a message, as the router classifies the sender. */
export const SENDER = Object.freeze({
  CONTENT_SCRIPT: 'content-script',
  EXTENSION_PAGE: 'extension-page',
});

/** The `commands` entry of manifest.json. */
export const COMMAND_PRINT_LABEL = 'print-label';

/** Every reply crosses the message boundary as data: `{ok: true, data}` or `{ok: false, error}`. */
export function success(data) {
  return { ok: true, data };
}

export function failure(error) {
  return { ok: false, error };
}
