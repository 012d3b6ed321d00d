/**
 * The "Print labels for selected (N)" button of the Sale Orders list as a pure state machine:
 * nextBatchState(state, event) and viewOfBatch(state). No DOM and no messaging here.
 */
import { MAX_BATCH } from '../shared/messages.js';

export const BATCH_STATUS = Object.freeze({
  IDLE: 'idle',
  PRINTING: 'printing',
  FINISHED: 'finished',
  FAILED: 'failed',
});

export const BATCH_EVENT = Object.freeze({
  SELECTION_CHANGED: 'selection-changed',
  PRINT_REQUESTED: 'print-requested',
  PROGRESS: 'progress',
  PRINT_SUCCEEDED: 'print-succeeded',
  PRINT_FAILED: 'print-failed',
});

export function initialBatchState(selected = 0) {
  return { status: BATCH_STATUS.IDLE, selected };
}

/** True when a click should start a batch now. */
export function canPrintBatch(state) {
  return state.status !== BATCH_STATUS.PRINTING && state.selected > 0 && state.selected <= MAX_BATCH;
}

export function nextBatchState(state, event) {
  switch (event.type) {
    case BATCH_EVENT.SELECTION_CHANGED:
      return event.count === state.selected ? state : { ...state, selected: event.count };
    case BATCH_EVENT.PRINT_REQUESTED:
      if (!canPrintBatch(state)) return state;
      return { status: BATCH_STATUS.PRINTING, selected: state.selected, done: 0, total: state.selected };
    case BATCH_EVENT.PROGRESS: {
      if (state.status !== BATCH_STATUS.PRINTING) return state;
      // Progress only moves forward: a late message never undoes a newer one.
      const done = Math.max(state.done, event.done);
      return done === state.done && event.total === state.total ? state : { ...state, done, total: event.total };
    }
    case BATCH_EVENT.PRINT_SUCCEEDED:
      if (state.status !== BATCH_STATUS.PRINTING) return state;
      return { status: BATCH_STATUS.FINISHED, selected: state.selected, result: event.result };
    case BATCH_EVENT.PRINT_FAILED:
      if (state.status !== BATCH_STATUS.PRINTING) return state;
      return { status: BATCH_STATUS.FAILED, selected: state.selected, message: event.error.message };
    default:
      return state;
  }
}

/** "23 printed, 2 failed" (reprints named only when there are some). */
export function summaryText({ printed, reprinted, failed }) {
  return [`${printed} printed`, reprinted ? `${reprinted} reprinted` : null, `${failed} failed`].filter(Boolean).join(', ');
}

/** What happened at the network printer, in words; null when the batch went to the browser. */
export function printerText(printer) {
  if (!printer) return null;
  if (printer.status === 'sent') return `Sent to ${printer.name}`;
  return `${printer.message ?? `Printer ${printer.name} did not take the labels.`} The labels opened in the browser instead.`;
}

function idleLabel(selected) {
  return `Print labels for selected (${selected})`;
}

function selectionHint(selected) {
  if (selected > MAX_BATCH) return `Select at most ${MAX_BATCH} orders: one batch prints ${MAX_BATCH} at most.`;
  return null;
}

/**
 * What the button shows: {status, label, disabled, tone, detail, notices, failures, printerStatus, title}.
 * notices: the printer's outcome and its warnings; failures: one line per order that did not print.
 */
export function viewOfBatch(state) {
  const base = {
    status: state.status,
    label: idleLabel(state.selected),
    disabled: !canPrintBatch(state),
    tone: 'neutral',
    detail: selectionHint(state.selected),
    notices: [],
    failures: [],
    printerStatus: null,
    title: state.selected ? 'Print the Starshipit labels of the ticked orders as one document' : 'Tick the orders to print first',
  };
  switch (state.status) {
    case BATCH_STATUS.IDLE:
      return base;
    case BATCH_STATUS.PRINTING:
      return { ...base, label: `Printing ${state.done} of ${state.total}…`, tone: 'busy', title: '' };
    case BATCH_STATUS.FINISHED: {
      const { result } = state;
      return {
        ...base,
        tone: result.failed ? 'error' : 'success',
        detail: selectionHint(state.selected) ?? summaryText(result),
        notices: [printerText(result.printer), ...(result.printer?.warnings ?? []), result.fileError].filter(Boolean),
        failures: result.failures.map((failure) => `${failure.numericId}: ${failure.message}`),
        printerStatus: result.printer?.status ?? null,
      };
    }
    case BATCH_STATUS.FAILED:
      return { ...base, tone: 'error', detail: state.message };
    default:
      throw new Error(`Unknown batch status: ${state.status}`);
  }
}
