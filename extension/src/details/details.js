/**
 * The Details panel (an extension page, opened by the "Details" link beside the button): asks
 * the worker for the order's preview and history, and shows them.
 */
import { MESSAGE } from '../shared/messages.js';
import { orderFromDetailsUrl } from '../shared/details-url.js';
import { renderDetails, renderFailure } from './details-view.js';
import { renderVoidAction } from './void-action.js';
import { setUpReturnAction } from './return-action.js';

async function load() {
  const order = orderFromDetailsUrl(window.location.href);
  if (!order) {
    renderFailure(document, { message: 'This page does not name a sale order. Open it from the Details link on an order.' });
    return;
  }
  const reply = await chrome.runtime.sendMessage({ type: MESSAGE.ORDER_DETAILS, payload: { order } });
  if (!reply?.ok) {
    renderFailure(document, reply?.error);
    return;
  }
  renderDetails(document, reply.data);
  renderVoidAction(document.getElementById('void'), reply.data.label ?? null, {
    send: (message) => chrome.runtime.sendMessage(message),
    onVoided: () => load(),
  });
  setUpReturnAction(document, reply.data);
}

load();
