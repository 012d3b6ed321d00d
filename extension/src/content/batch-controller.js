/**
 * The Sale Orders list's batch button: runs its state machine (batch-state.js) against the
 * page's selection and the worker's replies and progress messages, and renders every change.
 */
import { MESSAGE } from '../shared/messages.js';
import { BATCH_EVENT, BATCH_STATUS, canPrintBatch, initialBatchState, nextBatchState, viewOfBatch } from './batch-state.js';

// messaging.js promises a retry "will not print twice": true of one label's Idempotency-Key, not
// of a batch, whose retry is a new batch (printed orders come back as reprints, and print again).
const BATCH_LOST = Object.freeze({
  code: 'worker_unavailable',
  message:
    'Lost contact with the labelbridge extension while the batch was printing. Check the printed labels before printing ' +
    'again: orders printed already come back as reprints (never a second shipment).',
});

/**
 * deps: list ({tenantSlug}, from the URL), send(type, payload) → reply, readSelection() → the
 * ticked numeric ids in list order, render(view), signal (aborted when the page moves on).
 */
export function createBatchController({ list, send, readSelection, render, signal }) {
  let state = initialBatchState(readSelection().length);
  const dispatch = (event) => {
    const previous = state;
    state = nextBatchState(state, event);
    if (state !== previous) render(viewOfBatch(state));
  };
  render(viewOfBatch(state));

  function selectionChanged() {
    dispatch({ type: BATCH_EVENT.SELECTION_CHANGED, count: readSelection().length });
  }

  async function print() {
    const numericIds = readSelection();
    dispatch({ type: BATCH_EVENT.SELECTION_CHANGED, count: numericIds.length });
    if (!canPrintBatch(state)) return;
    dispatch({ type: BATCH_EVENT.PRINT_REQUESTED });
    const reply = await send(MESSAGE.PRINT_BATCH, { list, numericIds });
    if (signal.aborted) return;
    if (reply.ok) dispatch({ type: BATCH_EVENT.PRINT_SUCCEEDED, result: reply.data });
    else dispatch({ type: BATCH_EVENT.PRINT_FAILED, error: reply.error.code === BATCH_LOST.code ? BATCH_LOST : reply.error });
  }

  /** The worker's progress message; only counts while this page's batch is running. */
  function progress(payload) {
    if (state.status !== BATCH_STATUS.PRINTING) return;
    const { done, total } = payload ?? {};
    if (!Number.isInteger(done) || !Number.isInteger(total) || done < 0 || total < 1) return;
    dispatch({ type: BATCH_EVENT.PROGRESS, done, total });
  }

  return { selectionChanged, print, progress };
}
