/**
 * The content script as a whole, in happy-dom: one button, placed on the page, surviving
 * re-renders and pushState navigation, gone when stopped.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { start } from '../../extension/src/content/main.js';
import { MESSAGE } from '../../extension/src/shared/messages.js';
import { EXTENSION_ID } from './fakes.js';
import { snapshotDocument } from './snapshots.js';

const PAGE_URL = 'http://127.0.0.1:5000/app/demo-warehouse/SaleOrders/view/787061';
const lookupReply = (numericId, customerReference) => ({
  ok: true,
  data: { saleOrder: { id: 'u', numericId, customerReference }, state: 'new', carrier: null, trackingNumbers: [] },
});
const PRINTED = {
  ok: true,
  data: { saleOrder: { numericId: '787061' }, carrier: 'Australia Post', trackingNumbers: ['LB000001AU'], reprint: false },
};

function fakeRuntime() {
  const listeners = new Set();
  return {
    id: EXTENSION_ID,
    sendMessage: vi.fn(async (message) => {
      if (message.type === MESSAGE.PRINT_LABEL) return PRINTED;
      const { numericId } = message.payload.order;
      return lookupReply(numericId, numericId === '787061' ? 'SO-10045' : 'SO-20001');
    }),
    onMessage: { addListener: (fn) => listeners.add(fn), removeListener: (fn) => listeners.delete(fn) },
    /** Delivers a message as Chrome would, from `sender`. */
    deliver: (message, sender) => [...listeners].forEach((fn) => fn(message, sender, () => {})),
    listeners,
  };
}

const hosts = () => [...document.querySelectorAll('[data-labelbridge="print-button"]')];
const button = () => hosts()[0].shadowRoot.querySelector('button');
const fromWorker = { id: EXTENSION_ID };
const sentTypes = (runtime) => runtime.sendMessage.mock.calls.map(([message]) => message.type);

function renderOrderPage(numericId = '787061', customerReference = 'SO-10045') {
  const saved = snapshotDocument('handmade-sale-order.html');
  document.body.replaceChildren(...[...saved.body.childNodes].map((node) => document.importNode(node, true)));
  document.querySelector('h1').textContent = `Sale Order ${numericId}`;
  document.querySelector('table.details td').textContent = customerReference;
}

let runtime;
let lifetimes;
const run = () => {
  const lifetime = start({ win: window, runtime, newKey: () => crypto.randomUUID() });
  lifetimes.push(lifetime);
  return lifetime;
};

beforeEach(() => {
  window.happyDOM.setURL(PAGE_URL);
  renderOrderPage();
  runtime = fakeRuntime();
  lifetimes = [];
});

afterEach(() => {
  lifetimes.forEach((lifetime) => lifetime.abort());
});

describe('content script', () => {
  it('puts one button in the action bar and looks the order up from the URL', async () => {
    run();
    expect(hosts()).toHaveLength(1);
    expect(hosts()[0].parentElement.matches('.page-actions')).toBe(true);
    expect(runtime.sendMessage).toHaveBeenCalledWith({
      type: MESSAGE.LOOKUP_ORDER,
      payload: { order: { tenantSlug: 'demo-warehouse', numericId: '787061' } },
    });
    await vi.waitFor(() => expect(button().textContent).toBe('Print label'));
  });

  it('is safe to run twice: one button, and the older copy stops', async () => {
    const first = run();
    run();
    expect(first.signal.aborted).toBe(true);
    expect(hosts()).toHaveLength(1);
  });

  it('puts the button back, in the same state, when the page re-renders its container', async () => {
    run();
    await vi.waitFor(() => expect(button().disabled).toBe(false));
    runtime.deliver({ type: MESSAGE.PRINT_FROM_SHORTCUT }, fromWorker);
    await vi.waitFor(() => expect(button().textContent).toBe('Printed · LB000001AU'));

    renderOrderPage();
    await vi.waitFor(() => expect(hosts()).toHaveLength(1));
    expect(hosts()[0].isConnected).toBe(true);
    expect(button().textContent).toBe('Printed · LB000001AU');
    expect(sentTypes(runtime).filter((type) => type === MESSAGE.LOOKUP_ORDER)).toHaveLength(1);
  });

  it('follows history.pushState to another order', async () => {
    run();
    await vi.waitFor(() => expect(button().disabled).toBe(false));
    window.history.pushState({}, '', '/app/demo-warehouse/SaleOrders/view/787062');
    renderOrderPage('787062', 'SO-20001');
    await vi.waitFor(() =>
      expect(runtime.sendMessage).toHaveBeenLastCalledWith({
        type: MESSAGE.LOOKUP_ORDER,
        payload: { order: { tenantSlug: 'demo-warehouse', numericId: '787062' } },
      }),
    );
    await vi.waitFor(() => expect(button().textContent).toBe('Print label'));
    expect(hosts()).toHaveLength(1);
  });

  it('removes the button when the app navigates away from the order', async () => {
    run();
    window.history.pushState({}, '', '/app/demo-warehouse/SaleOrders');
    document.querySelector('main').textContent = 'Sale orders';
    await vi.waitFor(() => expect(hosts()).toHaveLength(0));
  });

  it('ignores clicks a page script makes (only a person prints)', async () => {
    run();
    await vi.waitFor(() => expect(button().disabled).toBe(false));
    button().click();
    expect(sentTypes(runtime)).not.toContain(MESSAGE.PRINT_LABEL);
  });

  it('prints from the keyboard shortcut, but only when the worker asks', async () => {
    run();
    await vi.waitFor(() => expect(button().disabled).toBe(false));
    runtime.deliver({ type: MESSAGE.PRINT_FROM_SHORTCUT }, { id: EXTENSION_ID, tab: { id: 1 } });
    runtime.deliver({ type: MESSAGE.PRINT_FROM_SHORTCUT }, { id: 'another-extension' });
    expect(sentTypes(runtime)).not.toContain(MESSAGE.PRINT_LABEL);
    runtime.deliver({ type: MESSAGE.PRINT_FROM_SHORTCUT }, fromWorker);
    expect(runtime.sendMessage).toHaveBeenLastCalledWith({
      type: MESSAGE.PRINT_LABEL,
      payload: { order: { tenantSlug: 'demo-warehouse', numericId: '787061' }, idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
  });

  it('floats the button when the page has no known anchor', () => {
    document.body.replaceChildren(document.createElement('div'));
    run();
    expect(hosts()[0].dataset.placement).toBe('floating');
    expect(hosts()[0].parentElement).toBe(document.body);
  });

  it('leaves the page as it was once stopped', async () => {
    const lifetime = run();
    lifetime.abort();
    expect(hosts()).toHaveLength(0);
    expect(runtime.listeners.size).toBe(0);
    renderOrderPage();
    await Promise.resolve();
    expect(hosts()).toHaveLength(0);
  });
});
