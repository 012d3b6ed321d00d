/**
 * The Print label button as a pure state machine: nextState(state, event) and viewOf(state).
 * No DOM and no messaging here, so every transition is unit-tested.
 *
 * The Idempotency-Key lives in this state. A click from a settled state starts a new intent
 * with a fresh key; a retry after a failure the backend may not have finished (network error,
 * timeout, 409/429/5xx: `retryable`) reuses the failed attempt's key, so the backend replays
 * the first outcome instead of printing twice. After a final refusal (e.g. 422 "no street")
 * the next click is a new intent: the packer fixed something, and a replay would only repeat
 * the refusal.
 */

export const STATUS = Object.freeze({
  CHECKING: 'checking',
  READY: 'ready',
  PRINTING: 'printing',
  PRINTED: 'printed',
  FAILED: 'failed',
  BLOCKED: 'blocked',
});

export const EVENT = Object.freeze({
  /** The backend answered the lookup and the page shows the order it found. */
  ORDER_CONFIRMED: 'order-confirmed',
  /** The backend found another order than the page shows (or the page has not caught up yet). */
  ORDER_MISMATCH: 'order-mismatch',
  LOOKUP_FAILED: 'lookup-failed',
  PRINT_REQUESTED: 'print-requested',
  PRINT_SUCCEEDED: 'print-succeeded',
  PRINT_FAILED: 'print-failed',
});

const LABELLED_STATES = new Set(['labelled', 'written_back']);

export function initialState() {
  return { status: STATUS.CHECKING };
}

/** True when a click (or the shortcut) should start a print now; false while busy or blocked. */
export function canPrint(state) {
  return state.status === STATUS.READY || state.status === STATUS.PRINTED || state.status === STATUS.FAILED;
}

/** The key the next print attempt must send: the retried one, or the fresh one offered. */
export function keyForNextPrint(state, freshKey) {
  return state.status === STATUS.FAILED && state.retryKey ? state.retryKey : freshKey;
}

/** The order's current label id when it has one (a new service for it is a redo), else null. */
export function currentLabelId(state) {
  const labelled = state.status === STATUS.PRINTED || (state.status === STATUS.READY && state.trackingNumbers.length > 0);
  return labelled ? state.labelId ?? null : null;
}

export function nextState(state, event) {
  switch (event.type) {
    case EVENT.ORDER_CONFIRMED: {
      if (state.status !== STATUS.CHECKING && state.status !== STATUS.BLOCKED) return state;
      const { lookup } = event;
      const printed = LABELLED_STATES.has(lookup.state) && lookup.trackingNumbers.length > 0;
      return {
        status: STATUS.READY,
        trackingNumbers: printed ? lookup.trackingNumbers : [],
        carrier: printed ? lookup.carrier : null,
        labelId: printed ? lookup.labelId ?? null : null,
        voided: lookup.state === 'voided',
        returnPrinted: printed && Boolean(lookup.returnPrinted),
        notice: null,
      };
    }
    case EVENT.ORDER_MISMATCH:
      if (state.status === STATUS.BLOCKED && state.message === event.message) return state;
      if (![STATUS.CHECKING, STATUS.READY, STATUS.BLOCKED].includes(state.status)) return state;
      return { status: STATUS.BLOCKED, message: event.message };
    case EVENT.LOOKUP_FAILED:
      if (state.status !== STATUS.CHECKING) return state;
      // The order can still be printed; the print attempt will say what is wrong, if anything.
      return { status: STATUS.READY, trackingNumbers: [], carrier: null, labelId: null, notice: event.error.message };
    case EVENT.PRINT_REQUESTED: {
      if (!canPrint(state)) return state;
      // A retry repeats the failed attempt as it was: its key and its service.
      const retrying = state.status === STATUS.FAILED && Boolean(state.retryKey);
      return {
        status: STATUS.PRINTING,
        idempotencyKey: keyForNextPrint(state, event.freshKey),
        service: retrying ? state.retryService : event.service ?? null,
      };
    }
    case EVENT.PRINT_SUCCEEDED:
      if (state.status !== STATUS.PRINTING) return state;
      return {
        status: STATUS.PRINTED,
        trackingNumbers: event.result.trackingNumbers,
        carrier: event.result.carrier,
        labelId: event.result.labelId ?? null,
        reprint: event.result.reprint,
        printer: event.result.printer ?? null,
      };
    case EVENT.PRINT_FAILED:
      if (state.status !== STATUS.PRINTING) return state;
      return {
        status: STATUS.FAILED,
        message: event.error.message,
        retryKey: event.error.retryable ? state.idempotencyKey : null,
        retryService: event.error.retryable ? state.service : null,
      };
    default:
      return state;
  }
}

/** Where the label went when a network printer was involved; null when the browser prints it. */
function printerNote(printer) {
  if (!printer) return null;
  return printer.status === 'sent' ? `Sent to printer ${printer.name}` : `Printer ${printer.name} failed: print it from the print page`;
}

function trackingText(numbers) {
  if (numbers.length === 0) return '';
  return numbers.length === 1 ? numbers[0] : `${numbers[0]} +${numbers.length - 1}`;
}

/**
 * What the button shows: {status, label, disabled, tone, detail, title}.
 * tone ∈ neutral | busy | success | error, for the styles.
 */
export function viewOf(state) {
  switch (state.status) {
    case STATUS.CHECKING:
      return { status: state.status, label: 'Print label', disabled: true, tone: 'busy', detail: 'Checking…', title: '' };
    case STATUS.READY: {
      const tracking = trackingText(state.trackingNumbers);
      if (!tracking && state.voided) {
        // The label was voided: the next print is a new shipment, asked without a redo's confirmation.
        return {
          status: state.status,
          label: 'Voided · print again',
          disabled: false,
          tone: 'neutral',
          detail: state.notice ?? null,
          title: 'The last label was voided: printing makes a new shipment.',
        };
      }
      return {
        status: state.status,
        label: tracking ? `Reprint label · ${tracking}` : 'Print label',
        disabled: false,
        tone: 'neutral',
        detail: state.notice ?? ([state.carrier, state.returnPrinted && 'Return printed'].filter(Boolean).join(' · ') || null),
        title: tracking ? `Already printed: ${state.trackingNumbers.join(', ')}` : 'Print the Starshipit label for this order',
      };
    }
    case STATUS.PRINTING:
      return { status: state.status, label: 'Printing…', disabled: true, tone: 'busy', detail: null, title: '' };
    case STATUS.PRINTED:
      return {
        status: state.status,
        label: `Printed · ${trackingText(state.trackingNumbers) || 'no tracking number'}`,
        disabled: false,
        tone: 'success',
        detail: [state.carrier, state.reprint ? 'reprint' : null, printerNote(state.printer)].filter(Boolean).join(' · ') || null,
        title: `Tracking: ${state.trackingNumbers.join(', ')}. Click to print it again.`,
      };
    case STATUS.FAILED:
      return { status: state.status, label: 'Retry print', disabled: false, tone: 'error', detail: state.message, title: state.message };
    case STATUS.BLOCKED:
      return { status: state.status, label: 'Print label', disabled: true, tone: 'error', detail: state.message, title: state.message };
    default:
      throw new Error(`Unknown button status: ${state.status}`);
  }
}
