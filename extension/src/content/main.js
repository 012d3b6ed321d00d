/**
 * The content script: keeps exactly one Print label button on a sale-order page, for the order
 * the URL names, through single-page-app re-renders and history.pushState navigation.
 * Everything it sets up hangs off one AbortSignal, so stopping it leaves the page as it was.
 */
import { MESSAGE } from '../shared/messages.js';
import { orderKey, parseSaleOrderUrl } from '../shared/sale-order-url.js';
import { createButtonHost, findButtonHosts, placeButtonHost, renderButton } from './button-view.js';
import { createOrderController } from './controller.js';
import { createSender } from './messaging.js';
import { findButtonPlacement, readCustomerReference } from './page.js';

/** Dispatched by each new copy of this script (extension reloaded, or injected twice) to stop the older one. */
const TEARDOWN_EVENT = 'labelbridge:teardown';

/** Starts the script on `win`; returns the AbortController that stops it. */
export function start({ win = window, runtime = chrome.runtime, newKey = () => crypto.randomUUID() } = {}) {
  const { document } = win;
  document.dispatchEvent(new CustomEvent(TEARDOWN_EVENT));
  const lifetime = new AbortController();
  const { signal } = lifetime;
  document.addEventListener(TEARDOWN_EVENT, () => lifetime.abort(), { signal });
  const send = createSender(runtime);
  let mounted = null;

  function mount(order) {
    const orderLifetime = new AbortController();
    const orderSignal = AbortSignal.any([signal, orderLifetime.signal]);
    let controller = null;
    // Only a person's click prints: page scripts can reach an open shadow root, not isTrusted.
    const onClick = (event) => event.isTrusted && controller.print();
    const onDetails = (event) => event.isTrusted && send(MESSAGE.OPEN_DETAILS, { order });
    const host = createButtonHost(document, { onClick, onDetails, signal: orderSignal });
    orderSignal.addEventListener('abort', () => host.remove(), { once: true });
    controller = createOrderController({
      order,
      send,
      readCustomerReference: () => readCustomerReference(document),
      render: (view) => renderButton(host, view),
      newKey,
      signal: orderSignal,
    });
    controller.lookup();
    return { key: orderKey(order), host, controller, stop: () => orderLifetime.abort() };
  }

  function sync() {
    const order = parseSaleOrderUrl(win.location.href);
    if (mounted && (!order || mounted.key !== orderKey(order))) {
      mounted.stop();
      mounted = null;
    }
    if (!order || !document.body) return;
    mounted ??= mount(order);
    for (const stray of findButtonHosts(document)) if (stray !== mounted.host) stray.remove();
    placeButtonHost(mounted.host, findButtonPlacement(document), document.body);
    mounted.controller.recheck();
  }

  // Re-rendering the container removes the button; navigating changes the URL. Both show up as
  // DOM mutations (the app renders the new order), popstate covers back/forward.
  const observer = new MutationObserver(sync);
  observer.observe(document.documentElement, { childList: true, subtree: true });
  win.addEventListener('popstate', sync, { signal });
  win.navigation?.addEventListener('currententrychange', sync, { signal });

  const onWorkerMessage = (message, sender, sendResponse) => {
    if (sender.id !== runtime.id || sender.tab || message?.type !== MESSAGE.PRINT_FROM_SHORTCUT) return false;
    mounted?.controller.print();
    sendResponse({ ok: Boolean(mounted) });
    return false;
  };
  runtime.onMessage.addListener(onWorkerMessage);

  signal.addEventListener(
    'abort',
    () => {
      observer.disconnect();
      runtime.onMessage?.removeListener(onWorkerMessage);
      mounted?.stop();
      mounted = null;
    },
    { once: true },
  );
  sync();
  return lifetime;
}
