/**
 * One order's button: runs the state machine (button-state.js) against the worker's replies
 * and renders every change. Nothing here touches the DOM directly.
 */
import { MESSAGE } from '../shared/messages.js';
import { EVENT, canPrint, initialState, nextState, viewOf } from './button-state.js';
import { describeMismatch } from './order-check.js';

/**
 * deps: order (from the URL), send(type, payload) → reply, readCustomerReference() → string|null,
 * render(view), newKey() → UUID, signal (aborted when the page moves on: replies are dropped).
 */
export function createOrderController({ order, send, readCustomerReference, render, newKey, signal }) {
  let state = initialState();
  let lookupResult = null;
  const dispatch = (event) => {
    const previous = state;
    state = nextState(state, event);
    if (state !== previous) render(viewOf(state));
  };
  render(viewOf(state));

  /**
   * Compares the page with the backend's answer. Called again on every change of the page: a
   * single-page app changes the URL first and renders the new order a moment later, so a
   * disagreement blocks printing only until the page catches up.
   */
  function recheck() {
    if (!lookupResult || signal.aborted) return;
    const mismatch = describeMismatch(order, readCustomerReference(), lookupResult.saleOrder);
    dispatch(mismatch ? { type: EVENT.ORDER_MISMATCH, message: mismatch } : { type: EVENT.ORDER_CONFIRMED, lookup: lookupResult });
  }

  async function lookup() {
    const reply = await send(MESSAGE.LOOKUP_ORDER, { order });
    if (signal.aborted) return;
    if (!reply.ok) {
      dispatch({ type: EVENT.LOOKUP_FAILED, error: reply.error });
      return;
    }
    lookupResult = reply.data;
    recheck();
  }

  async function print() {
    // A second click (or the shortcut) while printing lands here and sends nothing.
    if (!canPrint(state)) return;
    dispatch({ type: EVENT.PRINT_REQUESTED, freshKey: newKey() });
    const reply = await send(MESSAGE.PRINT_LABEL, { order, idempotencyKey: state.idempotencyKey });
    if (signal.aborted) return;
    dispatch(reply.ok ? { type: EVENT.PRINT_SUCCEEDED, result: reply.data } : { type: EVENT.PRINT_FAILED, error: reply.error });
  }

  return { lookup, recheck, print };
}
