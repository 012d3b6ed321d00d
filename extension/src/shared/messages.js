/**
 * The whole vocabulary between the extension's parts: every message carries one of these
 * ids as `type`; the service worker's router refuses anything else.
 */
export const MESSAGE = Object.freeze({
  /** content script → worker: what does the backend know about this order? */
  LOOKUP_ORDER: 'labelbridge/lookup-order',
  /** content script → worker: print (or reprint) this order's label. */
  PRINT_LABEL: 'labelbridge/print-label',
  /** content script → worker: the courier services Starshipit offers for this order. */
  ORDER_RATES: 'labelbridge/order-rates',
  /** content script → worker: a new label (a new shipment) for a labelled order, with the reason. */
  REDO_LABEL: 'labelbridge/redo-label',
  /** popup → worker: check the backend, the token and the backend's own upstream check. */
  TEST_CONNECTION: 'labelbridge/test-connection',
  /** worker → content script: the keyboard shortcut was pressed on this tab. */
  PRINT_FROM_SHORTCUT: 'labelbridge/print-from-shortcut',
  /** content script → worker: open the Details panel for this order. */
  OPEN_DETAILS: 'labelbridge/open-details',
  /** Details panel → worker: the order's preview (mapping, warnings) and history. */
  ORDER_DETAILS: 'labelbridge/order-details',
  /** content script (sale-order list) → worker: print the labels of these orders as one batch. */
  PRINT_BATCH: 'labelbridge/print-batch',
  /** worker → content script: how far the batch it asked for has got. */
  BATCH_PROGRESS: 'labelbridge/batch-progress',
  /** print page → worker: the merged document of a batch. */
  BATCH_FILE: 'labelbridge/batch-file',
  /** print page → worker: the packing slip of a printed label. */
  PACKING_SLIP: 'labelbridge/packing-slip',
  /** popup → worker: this workstation's preferences and the printers to choose from. */
  GET_WORKSTATION: 'labelbridge/get-workstation',
  /** popup → worker: save this workstation's preferences. */
  SAVE_WORKSTATION: 'labelbridge/save-workstation',
  /** popup → worker: exchange this enrollment code for the bench's token (answers its name only). */
  ENROLL: 'labelbridge/enroll',
  /** Details panel → worker: void this label, with the reason (supervisor or admin tokens). */
  VOID_LABEL: 'labelbridge/void-label',
  /** popup → worker: the labelled orders cancelled in CartonCloud that need someone. */
  NEEDS_ATTENTION: 'labelbridge/needs-attention',
  /** Details panel → worker: print (or reprint) the order's return label. */
  RETURN_LABEL: 'labelbridge/return-label',
  /** popup → worker: how many of today's shipments each carrier's manifest would hold. */
  MANIFEST_PREVIEW: 'labelbridge/manifest-preview',
  /** popup → worker: close the day (one manifest per carrier) and open the manifests. */
  CLOSE_DAY: 'labelbridge/close-day',
});

/** The most orders one PRINT_BATCH may name: what the backend prints in one batch. */
export const MAX_BATCH = 100;

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
