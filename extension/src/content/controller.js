/**
 * One order's button: runs the state machine (button-state.js) against the worker's replies
 * and renders every change. Nothing here touches the DOM directly.
 */
import { MESSAGE } from '../shared/messages.js';
import { EVENT, canPrint, currentLabelId, initialState, nextState, viewOf } from './button-state.js';
import { describeMismatch } from './order-check.js';
import { MENU } from './service-menu.js';

/**
 * deps: order (from the URL), send(type, payload) → reply, readCustomerReference() → string|null,
 * render(view), renderMenu(menu) (the service menu; optional), newKey() → UUID, signal (aborted
 * when the page moves on: replies are dropped).
 */
export function createOrderController({ order, send, readCustomerReference, render, renderMenu = () => {}, newKey, signal }) {
  let state = initialState();
  let lookupResult = null;
  let menu = { status: MENU.CLOSED };
  const showMenu = (next) => {
    menu = next;
    renderMenu(menu);
  };
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

  /** Print; `service` (from the menu) books that service instead of the rules' choice. */
  async function print(service = null) {
    // A second click (or the shortcut) while printing lands here and sends nothing.
    if (!canPrint(state)) return;
    dispatch({ type: EVENT.PRINT_REQUESTED, freshKey: newKey(), service });
    const payload = { order, idempotencyKey: state.idempotencyKey };
    const reply = await send(MESSAGE.PRINT_LABEL, state.service ? { ...payload, service: state.service } : payload);
    if (signal.aborted) return;
    dispatch(reply.ok ? { type: EVENT.PRINT_SUCCEEDED, result: reply.data } : { type: EVENT.PRINT_FAILED, error: reply.error });
  }

  /** The ▾: opens the menu and asks for the services (the backend keeps them 5 minutes), or closes it. */
  async function toggleServices() {
    if (menu.status !== MENU.CLOSED) {
      showMenu({ status: MENU.CLOSED });
      return;
    }
    showMenu({ status: MENU.LOADING });
    const reply = await send(MESSAGE.ORDER_RATES, { order });
    if (signal.aborted || menu.status !== MENU.LOADING) return;
    showMenu(reply.ok
      ? { status: MENU.READY, rates: reply.data.rates, message: reply.data.message }
      : { status: MENU.FAILED, error: reply.error.message });
  }

  /** A service picked (null: the rules' choice): printed, or for a labelled order first confirmed. */
  function chooseService(index) {
    if (menu.status !== MENU.READY || !canPrint(state)) return;
    const rate = index === null ? null : menu.rates[index];
    if (currentLabelId(state)) {
      showMenu({ status: MENU.CONFIRM, chosen: rate });
      return;
    }
    showMenu({ status: MENU.CLOSED });
    print(rate && { carrier: rate.carrier, carrierServiceCode: rate.carrierServiceCode });
  }

  /** The confirmed new label for a labelled order: a redo with the reason, booked with the service. */
  async function confirmRedo(reason) {
    const labelId = currentLabelId(state);
    if (menu.status !== MENU.CONFIRM || !labelId || !canPrint(state)) return;
    const rate = menu.chosen;
    showMenu({ status: MENU.CLOSED });
    dispatch({ type: EVENT.PRINT_REQUESTED, freshKey: newKey() });
    const service = rate && { carrier: rate.carrier, carrierServiceCode: rate.carrierServiceCode };
    const reply = await send(MESSAGE.REDO_LABEL, { order, labelId, reason, ...(service ? { service } : {}) });
    if (signal.aborted) return;
    // A failed redo is not retried by the button (a retry would be a plain print).
    dispatch(reply.ok
      ? { type: EVENT.PRINT_SUCCEEDED, result: reply.data }
      : { type: EVENT.PRINT_FAILED, error: { ...reply.error, retryable: false } });
  }

  function closeServices() {
    showMenu({ status: MENU.CLOSED });
  }

  return { lookup, recheck, print, toggleServices, chooseService, confirmRedo, closeServices };
}
