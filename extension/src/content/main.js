/**
 * The content script: keeps exactly one labelbridge button on the page — Print label on a
 * sale-order page, for the order the URL names; Print labels for selected (N) on the Sale Orders
 * list — through single-page-app re-renders and history.pushState navigation.
 * Everything it sets up hangs off one AbortSignal, so stopping it leaves the page as it was.
 */
import { MESSAGE } from '../shared/messages.js';
import { orderKey, parseSaleOrderListUrl, parseSaleOrderUrl } from '../shared/sale-order-url.js';
import { createBatchController } from './batch-controller.js';
import { createBatchHost, renderBatch } from './batch-view.js';
import { createButtonHost, findButtonHosts, placeButtonHost, renderButton } from './button-view.js';
import { createOrderController } from './controller.js';
import { findOrderRows, selectedNumericIds } from './list-page.js';
import { createSender } from './messaging.js';
import { findButtonPlacement, readCustomerReference } from './page.js';
import { createServiceMenu, renderServiceMenu } from './service-menu.js';

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

  function mountOrder(order) {
    const orderLifetime = new AbortController();
    const orderSignal = AbortSignal.any([signal, orderLifetime.signal]);
    let controller = null;
    // Only a person's click prints: page scripts can reach an open shadow root, not isTrusted.
    const onClick = (event) => event.isTrusted && controller.print();
    const onDetails = (event) => event.isTrusted && send(MESSAGE.OPEN_DETAILS, { order });
    const host = createButtonHost(document, { onClick, onDetails, signal: orderSignal });
    createServiceMenu(document, host.shadowRoot, {
      onToggle: () => controller.toggleServices(),
      onChoose: (index) => controller.chooseService(index),
      onConfirm: (reason) => controller.confirmRedo(reason),
      onCancel: () => controller.closeServices(),
      signal: orderSignal,
    });
    orderSignal.addEventListener('abort', () => host.remove(), { once: true });
    controller = createOrderController({
      order,
      send,
      readCustomerReference: () => readCustomerReference(document),
      render: (view) => renderButton(host, view),
      renderMenu: (menu) => renderServiceMenu(host.shadowRoot, menu),
      newKey,
      signal: orderSignal,
    });
    controller.lookup();
    return { host, controller, stop: () => orderLifetime.abort(), refresh: () => controller.recheck() };
  }

  function mountList(list) {
    const listLifetime = new AbortController();
    const listSignal = AbortSignal.any([signal, listLifetime.signal]);
    let controller = null;
    const onClick = (event) => event.isTrusted && controller.print();
    const host = createBatchHost(document, { onClick, signal: listSignal });
    listSignal.addEventListener('abort', () => host.remove(), { once: true });
    controller = createBatchController({
      list,
      send,
      readSelection: () => selectedNumericIds(findOrderRows(document, list.tenantSlug)),
      render: (view) => renderBatch(host, view),
      signal: listSignal,
    });
    // Ticking a row, or "select all" (whose handler ticks the rows before the event reaches the
    // document), ends in a change event that bubbles here.
    document.addEventListener('change', () => controller.selectionChanged(), { signal: listSignal });
    return { host, controller, stop: () => listLifetime.abort(), refresh: () => controller.selectionChanged() };
  }

  /** What the current URL asks for: {key, kind, mount()}, or null on pages without a button. */
  function pageFor(href) {
    const order = parseSaleOrderUrl(href);
    if (order) return { key: orderKey(order), kind: 'order', mount: () => mountOrder(order) };
    const list = parseSaleOrderListUrl(href);
    if (list) return { key: `${list.tenantSlug}/SaleOrders`, kind: 'list', mount: () => mountList(list) };
    return null;
  }

  function sync() {
    const page = pageFor(win.location.href);
    if (mounted && (!page || mounted.key !== page.key)) {
      mounted.stop();
      mounted = null;
    }
    if (!page || !document.body) return;
    mounted ??= { key: page.key, kind: page.kind, ...page.mount() };
    for (const stray of findButtonHosts(document)) if (stray !== mounted.host) stray.remove();
    placeButtonHost(mounted.host, findButtonPlacement(document), document.body);
    mounted.refresh();
  }

  // Re-rendering the container removes the button; navigating changes the URL. Both show up as
  // DOM mutations (the app renders the new order), popstate covers back/forward.
  const observer = new MutationObserver(sync);
  observer.observe(document.documentElement, { childList: true, subtree: true });
  win.addEventListener('popstate', sync, { signal });
  win.navigation?.addEventListener('currententrychange', sync, { signal });

  const onWorkerMessage = (message, sender, sendResponse) => {
    if (sender.id !== runtime.id || sender.tab) return false;
    if (message?.type === MESSAGE.PRINT_FROM_SHORTCUT) {
      // The shortcut prints the order on screen; on the list a click chooses what to print.
      const onOrder = mounted?.kind === 'order';
      if (onOrder) mounted.controller.print();
      sendResponse({ ok: onOrder });
    } else if (message?.type === MESSAGE.BATCH_PROGRESS && mounted?.kind === 'list') {
      mounted.controller.progress(message.payload);
    }
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
