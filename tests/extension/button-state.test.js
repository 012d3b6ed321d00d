import { describe, expect, it } from 'vitest';
import { EVENT, STATUS, canPrint, initialState, nextState, viewOf } from '../../extension/src/content/button-state.js';

const lookup = (overrides = {}) => ({ state: 'new', carrier: null, trackingNumbers: [], saleOrder: {}, ...overrides });
const printed = { trackingNumbers: ['LB000001AU'], carrier: 'Australia Post', reprint: false };
const run = (...events) => events.reduce(nextState, initialState());
const ready = () => run({ type: EVENT.ORDER_CONFIRMED, lookup: lookup() });
const printing = (key = 'key-1') => nextState(ready(), { type: EVENT.PRINT_REQUESTED, freshKey: key });

describe('page load', () => {
  it('starts disabled while the backend is asked', () => {
    expect(viewOf(initialState())).toMatchObject({ label: 'Print label', disabled: true, detail: 'Checking…' });
  });

  it('offers Print label for an order never printed', () => {
    expect(viewOf(ready())).toMatchObject({ status: STATUS.READY, label: 'Print label', disabled: false });
  });

  it.each(['labelled', 'written_back'])('offers Reprint with the tracking number when the order is %s', (state) => {
    const view = viewOf(run({ type: EVENT.ORDER_CONFIRMED, lookup: lookup({ state, carrier: 'Australia Post', trackingNumbers: ['LB1', 'LB2'] }) }));
    expect(view).toMatchObject({ label: 'Reprint label · LB1 +1', disabled: false, detail: 'Australia Post' });
  });

  it('still offers printing when the lookup fails, and says why', () => {
    const view = viewOf(run({ type: EVENT.LOOKUP_FAILED, error: { message: 'Sale order 9 was not found in CartonCloud.' } }));
    expect(view).toMatchObject({ label: 'Print label', disabled: false, detail: 'Sale order 9 was not found in CartonCloud.' });
  });

  it('unblocks once the page catches up with the URL (a single-page app renders late)', () => {
    const blocked = run({ type: EVENT.ORDER_MISMATCH, message: 'Not printing: …' });
    expect(viewOf(nextState(blocked, { type: EVENT.ORDER_CONFIRMED, lookup: lookup() }))).toMatchObject({ label: 'Print label', disabled: false });
  });

  it('blocks again when the page stops agreeing before a print', () => {
    expect(nextState(ready(), { type: EVENT.ORDER_MISMATCH, message: 'x' }).status).toBe(STATUS.BLOCKED);
  });

  it('keeps the same state object for a repeated check (nothing to re-render)', () => {
    const blocked = run({ type: EVENT.ORDER_MISMATCH, message: 'x' });
    expect(nextState(blocked, { type: EVENT.ORDER_MISMATCH, message: 'x' })).toBe(blocked);
    expect(nextState(ready(), { type: EVENT.ORDER_CONFIRMED, lookup: lookup() })).toEqual(ready());
  });

  it('blocks printing when page and backend disagree about the order', () => {
    const view = viewOf(run({ type: EVENT.ORDER_MISMATCH, message: 'Not printing: …' }));
    expect(view).toMatchObject({ disabled: true, tone: 'error', detail: 'Not printing: …' });
    expect(canPrint(run({ type: EVENT.ORDER_MISMATCH, message: 'x' }))).toBe(false);
  });
});

describe('printing', () => {
  it('shows Printing… disabled and holds the fresh key', () => {
    const state = printing('key-1');
    expect(state.idempotencyKey).toBe('key-1');
    expect(viewOf(state)).toMatchObject({ label: 'Printing…', disabled: true });
  });

  it('ignores a second request while printing (a double click sends one request)', () => {
    const state = printing('key-1');
    expect(nextState(state, { type: EVENT.PRINT_REQUESTED, freshKey: 'key-2' })).toBe(state);
    expect(canPrint(state)).toBe(false);
  });

  it('ignores print requests before the lookup answered', () => {
    expect(canPrint(initialState())).toBe(false);
  });

  it('shows the tracking number and carrier once printed', () => {
    const view = viewOf(nextState(printing(), { type: EVENT.PRINT_SUCCEEDED, result: printed }));
    expect(view).toMatchObject({ label: 'Printed · LB000001AU', disabled: false, tone: 'success', detail: 'Australia Post' });
  });

  it('says when the backend reprinted', () => {
    const view = viewOf(nextState(printing(), { type: EVENT.PRINT_SUCCEEDED, result: { ...printed, reprint: true } }));
    expect(view.detail).toBe('Australia Post · reprint');
  });

  it('says where a network printer put the label', () => {
    const sent = viewOf(nextState(printing(), { type: EVENT.PRINT_SUCCEEDED, result: { ...printed, printer: { name: 'bench-1', status: 'sent' } } }));
    expect(sent.detail).toBe('Australia Post · Sent to printer bench-1');
    const failed = viewOf(nextState(printing(), { type: EVENT.PRINT_SUCCEEDED, result: { ...printed, printer: { name: 'bench-1', status: 'failed' } } }));
    expect(failed.detail).toBe('Australia Post · Printer bench-1 failed: print it from the print page');
  });

  it("shows the backend's message with a retry on failure", () => {
    const message = 'This sale order cannot be shipped: Delivery address has no street (address line 1).';
    const view = viewOf(nextState(printing(), { type: EVENT.PRINT_FAILED, error: { message, retryable: false } }));
    expect(view).toMatchObject({ label: 'Retry print', disabled: false, tone: 'error', detail: message });
  });

  it('ignores page checks once printing started', () => {
    const state = printing();
    expect(nextState(state, { type: EVENT.ORDER_CONFIRMED, lookup: lookup() })).toBe(state);
    expect(nextState(state, { type: EVENT.ORDER_MISMATCH, message: 'x' })).toBe(state);
  });
});

describe('Idempotency-Key per click intent', () => {
  const failWith = (retryable) => nextState(printing('key-1'), { type: EVENT.PRINT_FAILED, error: { message: 'x', retryable } });

  it('reuses the key on a retry after a failure the backend may not have finished', () => {
    expect(nextState(failWith(true), { type: EVENT.PRINT_REQUESTED, freshKey: 'key-2' }).idempotencyKey).toBe('key-1');
  });

  it('starts a new intent after a final refusal', () => {
    expect(nextState(failWith(false), { type: EVENT.PRINT_REQUESTED, freshKey: 'key-2' }).idempotencyKey).toBe('key-2');
  });

  it('starts a new intent for a reprint after a success', () => {
    const done = nextState(printing('key-1'), { type: EVENT.PRINT_SUCCEEDED, result: printed });
    expect(nextState(done, { type: EVENT.PRINT_REQUESTED, freshKey: 'key-2' }).idempotencyKey).toBe('key-2');
  });
});
