/**
 * The content script on the Sale Orders list, in happy-dom, on the saved sandbox list: one batch
 * button whose count follows the ticked rows, one message with the ids in list order, progress
 * from the worker, and the outcome (summary, failures with reasons) as text.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { start } from '../../extension/src/content/main.js';
import { MESSAGE } from '../../extension/src/shared/messages.js';
import { EXTENSION_ID } from './fakes.js';
import { showSnapshot } from './snapshots.js';

const LIST_URL = 'http://127.0.0.1:5000/app/demo-warehouse/SaleOrders';
const fromWorker = { id: EXTENSION_ID };

/** A runtime whose PRINT_BATCH reply the test releases when it wants. */
function fakeRuntime() {
  const listeners = new Set();
  let release;
  const runtime = {
    id: EXTENSION_ID,
    sendMessage: vi.fn(async (message) => {
      if (message.type !== MESSAGE.PRINT_BATCH) return { ok: false, error: { message: 'unexpected' } };
      return new Promise((resolve) => {
        release = resolve;
      });
    }),
    onMessage: { addListener: (fn) => listeners.add(fn), removeListener: (fn) => listeners.delete(fn) },
    deliver: (message, sender) => [...listeners].forEach((fn) => fn(message, sender, () => {})),
    reply: (reply) => release(reply),
    listeners,
  };
  return runtime;
}

const host = () => document.querySelector('[data-labelbridge="batch-button"]');
const button = () => host().shadowRoot.querySelector('button');
const shadowTexts = (selector) => [...host().shadowRoot.querySelectorAll(selector)].map((item) => item.textContent);
const rowBox = (numericId) => document.querySelector(`input[aria-label="Select sale order ${numericId}"]`);
const selectAll = () => document.querySelector('thead input[type="checkbox"]');

function tick(box, checked = true) {
  box.checked = checked;
  box.dispatchEvent(new Event('change', { bubbles: true }));
}

/** A click as a person makes it (page scripts cannot set isTrusted). */
function personClicks(element) {
  const event = new MouseEvent('click', { bubbles: true, composed: true });
  Object.defineProperty(event, 'isTrusted', { value: true });
  element.dispatchEvent(event);
}

let runtime;
let lifetime;

beforeEach(() => {
  showSnapshot('sandbox-order-list.html', LIST_URL);
  // The list's own "select all" script, as the page runs it (happy-dom does not run saved scripts).
  selectAll().addEventListener('change', () => {
    document.querySelectorAll('tbody input[type="checkbox"]').forEach((box) => {
      box.checked = selectAll().checked;
    });
  });
  runtime = fakeRuntime();
  lifetime = start({ win: window, runtime });
});

afterEach(() => lifetime.abort());

describe('the batch button on the list', () => {
  it('sits after the page title and is off until rows are ticked', () => {
    expect(document.querySelectorAll('[data-labelbridge]')).toHaveLength(1);
    expect(host().previousElementSibling.matches('h1')).toBe(true);
    expect(button().textContent).toBe('Print labels for selected (0)');
    expect(button().disabled).toBe(true);
    expect(runtime.sendMessage).not.toHaveBeenCalled();
  });

  it('follows the ticked rows, and "select all"', () => {
    tick(rowBox('787063'));
    tick(rowBox('787061'));
    expect(button().textContent).toBe('Print labels for selected (2)');
    tick(rowBox('787063'), false);
    expect(button().textContent).toBe('Print labels for selected (1)');
    const rows = document.querySelectorAll('tbody input[type="checkbox"]').length;
    tick(selectAll());
    expect(button().textContent).toBe(`Print labels for selected (${rows})`);
    tick(selectAll(), false);
    expect(button().textContent).toBe('Print labels for selected (0)');
  });

  it('sends the ticked ids in list order, shows progress, then the summary and each failure', async () => {
    tick(rowBox('787063'));
    tick(rowBox('787061'));
    tick(rowBox('787062'));
    personClicks(button());
    expect(runtime.sendMessage).toHaveBeenCalledWith({
      type: MESSAGE.PRINT_BATCH,
      payload: { list: { tenantSlug: 'demo-warehouse' }, numericIds: ['787061', '787062', '787063'] },
    });
    expect(button().textContent).toBe('Printing 0 of 3…');
    expect(button().disabled).toBe(true);

    runtime.deliver({ type: MESSAGE.BATCH_PROGRESS, payload: { done: 2, total: 3 } }, fromWorker);
    expect(button().textContent).toBe('Printing 2 of 3…');
    runtime.deliver({ type: MESSAGE.BATCH_PROGRESS, payload: { done: 3, total: 3 } }, { id: EXTENSION_ID, tab: { id: 4 } });
    runtime.deliver({ type: MESSAGE.BATCH_PROGRESS, payload: { done: 3, total: 3 } }, { id: 'another-extension' });
    expect(button().textContent).toBe('Printing 2 of 3…');

    const reason = '<b>Delivery address has no street</b> (address line 1).';
    runtime.reply({
      ok: true,
      data: { total: 3, printed: 2, reprinted: 0, failed: 1, failures: [{ numericId: '787062', message: reason }], printer: null, fileError: null },
    });
    await vi.waitFor(() => expect(host().dataset.state).toBe('finished'));
    expect(button().textContent).toBe('Print labels for selected (3)');
    expect(shadowTexts('.detail')).toEqual(['2 printed, 1 failed']);
    expect(shadowTexts('.failures li')).toEqual([`787062: ${reason}`]);
    expect(host().shadowRoot.querySelector('.failures b')).toBeNull();
  });

  it('shows why the whole batch failed', async () => {
    tick(rowBox('787061'));
    personClicks(button());
    runtime.reply({ ok: false, error: { code: 'backend_unreachable', message: 'Could not reach the labelbridge backend.' } });
    await vi.waitFor(() => expect(host().dataset.state).toBe('failed'));
    expect(shadowTexts('.detail')).toEqual(['Could not reach the labelbridge backend.']);
    expect(button().disabled).toBe(false);
  });

  it('does not promise that a batch retry prints nothing twice', async () => {
    tick(rowBox('787061'));
    personClicks(button());
    runtime.reply(undefined); // the worker stopped before it answered
    await vi.waitFor(() => expect(host().dataset.state).toBe('failed'));
    expect(shadowTexts('.detail')[0]).toMatch(/^Lost contact with the labelbridge extension while the batch was printing/);
    expect(shadowTexts('.detail')[0]).not.toContain('will not print twice');
  });

  it('ignores clicks a page script makes, and the print shortcut', () => {
    tick(rowBox('787061'));
    button().click();
    runtime.deliver({ type: MESSAGE.PRINT_FROM_SHORTCUT }, fromWorker);
    expect(runtime.sendMessage).not.toHaveBeenCalled();
  });

  it('gives way to the order button when the app opens an order', async () => {
    window.history.pushState({}, '', '/app/demo-warehouse/SaleOrders/view/787061');
    document.querySelector('main').append(document.createElement('p'));
    await vi.waitFor(() => expect(document.querySelector('[data-labelbridge="print-button"]')).not.toBeNull());
    expect(host()).toBeNull();
  });
});
