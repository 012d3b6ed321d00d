import { describe, expect, it } from 'vitest';
import {
  BATCH_EVENT,
  BATCH_STATUS,
  initialBatchState,
  nextBatchState,
  summaryText,
  viewOfBatch,
} from '../../extension/src/content/batch-state.js';
import { MAX_BATCH } from '../../extension/src/shared/messages.js';

const run = (events, state = initialBatchState()) => events.reduce(nextBatchState, state);
const selected = (count) => ({ type: BATCH_EVENT.SELECTION_CHANGED, count });
const RESULT = {
  total: 3,
  printed: 2,
  reprinted: 0,
  failed: 1,
  failures: [{ numericId: '787064', code: 'sale_order_not_shippable', message: 'Delivery address has no street (address line 1).' }],
  printer: null,
  fileError: null,
};

describe('the batch button', () => {
  it('counts the ticked rows, and is off with none', () => {
    expect(viewOfBatch(initialBatchState())).toMatchObject({ label: 'Print labels for selected (0)', disabled: true });
    expect(viewOfBatch(run([selected(3)]))).toMatchObject({ label: 'Print labels for selected (3)', disabled: false, tone: 'neutral' });
  });

  it(`refuses more than ${MAX_BATCH} orders and says why`, () => {
    const view = viewOfBatch(run([selected(MAX_BATCH + 1)]));
    expect(view.disabled).toBe(true);
    expect(view.detail).toContain(`at most ${MAX_BATCH}`);
    expect(run([selected(MAX_BATCH + 1), { type: BATCH_EVENT.PRINT_REQUESTED }]).status).toBe(BATCH_STATUS.IDLE);
  });

  it('shows the progress, which only moves forward', () => {
    const printing = run([selected(10), { type: BATCH_EVENT.PRINT_REQUESTED }]);
    expect(viewOfBatch(printing)).toMatchObject({ label: 'Printing 0 of 10…', disabled: true, tone: 'busy' });
    const three = run([{ type: BATCH_EVENT.PROGRESS, done: 3, total: 10 }], printing);
    expect(viewOfBatch(three).label).toBe('Printing 3 of 10…');
    expect(run([{ type: BATCH_EVENT.PROGRESS, done: 2, total: 10 }], three)).toBe(three);
  });

  it('ignores a second click and selection changes do not stop a running batch', () => {
    const printing = run([selected(2), { type: BATCH_EVENT.PRINT_REQUESTED }]);
    expect(run([{ type: BATCH_EVENT.PRINT_REQUESTED }], printing)).toBe(printing);
    expect(run([selected(5)], printing).status).toBe(BATCH_STATUS.PRINTING);
  });

  it('ends with the summary and one line per failed order', () => {
    const done = run([selected(3), { type: BATCH_EVENT.PRINT_REQUESTED }, { type: BATCH_EVENT.PRINT_SUCCEEDED, result: RESULT }]);
    expect(viewOfBatch(done)).toMatchObject({
      status: 'finished',
      label: 'Print labels for selected (3)',
      disabled: false,
      tone: 'error',
      detail: '2 printed, 1 failed',
      failures: ['787064: Delivery address has no street (address line 1).'],
      notices: [],
    });
  });

  it('says where a network printer put the labels, or why it did not', () => {
    const finish = (printer, extra = {}) =>
      viewOfBatch(run([selected(3), { type: BATCH_EVENT.PRINT_REQUESTED }, { type: BATCH_EVENT.PRINT_SUCCEEDED, result: { ...RESULT, printer, ...extra } }]));
    expect(finish({ name: 'bench-1', status: 'sent', message: null, warnings: ['It will print smaller than intended.'] })).toMatchObject({
      notices: ['Sent to bench-1', 'It will print smaller than intended.'],
      printerStatus: 'sent',
    });
    const failed = finish({ name: 'bench-1', status: 'failed', message: 'Printer bench-1 did not answer within 5 s.', warnings: [] });
    expect(failed.notices).toEqual(['Printer bench-1 did not answer within 5 s. The labels opened in the browser instead.']);
    expect(finish(null, { printed: 0, failed: 3, fileError: 'No label was printed.' }).notices).toEqual(['No label was printed.']);
  });

  it('shows a refusal of the whole batch in words', () => {
    const failed = run([selected(3), { type: BATCH_EVENT.PRINT_REQUESTED }, { type: BATCH_EVENT.PRINT_FAILED, error: { message: 'Could not reach the backend.' } }]);
    expect(viewOfBatch(failed)).toMatchObject({ status: 'failed', tone: 'error', detail: 'Could not reach the backend.', disabled: false });
  });
});

describe('summaryText', () => {
  it.each([
    [{ printed: 23, reprinted: 0, failed: 2 }, '23 printed, 2 failed'],
    [{ printed: 1, reprinted: 2, failed: 0 }, '1 printed, 2 reprinted, 0 failed'],
  ])('%j → %s', (counts, text) => expect(summaryText(counts)).toBe(text));
});
