import { describe, expect, it, vi } from 'vitest';
import { createOrderController } from '../../extension/src/content/controller.js';
import { createButtonHost } from '../../extension/src/content/button-view.js';
import { MENU, RULES_CHOICE_ENTRY, createServiceMenu, describeRate, renderServiceMenu } from '../../extension/src/content/service-menu.js';
import { MESSAGE } from '../../extension/src/shared/messages.js';

const ORDER = { tenantSlug: 'demo-warehouse', numericId: '787061' };
const SALE_ORDER = { id: 'a1', numericId: '787061', customerReference: 'SO-10045' };
const LABEL_ID = '6f1d2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';
const PREMIUM = { carrier: null, carrierName: null, serviceName: 'Premium', carrierServiceCode: 'PRM', price: 23.1, currency: 'AUD', eta: null, rulesChoice: false };
const EXPRESS = { carrier: 'AusPost', carrierName: 'Australia Post', serviceName: 'Express Post', carrierServiceCode: '7J55', price: 13.95, currency: 'AUD', eta: '1-2 days', rulesChoice: true };
const RATES = { ok: true, data: { rates: [PREMIUM, EXPRESS], cached: false, message: null } };
const PRINTED = { ok: true, data: { saleOrder: SALE_ORDER, carrier: 'StarTrack', trackingNumbers: ['LBZ00000001'], labelId: LABEL_ID, reprint: false } };

function lookup(trackingNumbers = [], labelId = null) {
  return { ok: true, data: { saleOrder: SALE_ORDER, state: trackingNumbers.length ? 'labelled' : 'new', carrier: null, trackingNumbers, labelId } };
}

function setup() {
  const pending = [];
  const send = vi.fn((type, payload) => new Promise((resolve) => pending.push({ type, payload, resolve })));
  const menus = [];
  const views = [];
  let keys = 0;
  const controller = createOrderController({
    order: ORDER,
    send,
    readCustomerReference: () => 'SO-10045',
    render: (view) => views.push(view),
    renderMenu: (menu) => menus.push(menu),
    newKey: () => `key-${(keys += 1)}`,
    signal: new AbortController().signal,
  });
  const answer = async (reply, promise) => {
    pending.shift().resolve(reply);
    await promise;
  };
  return { controller, send, pending, answer, menus, lastMenu: () => menus.at(-1), lastView: () => views.at(-1) };
}

describe('describeRate', () => {
  it('names the carrier, the service, the price with its currency and the ETA when known', () => {
    expect(describeRate(EXPRESS)).toBe('Australia Post · Express Post — AUD 13.95 · 1-2 days');
    expect(describeRate(PREMIUM)).toBe('Premium — AUD 23.10');
    expect(describeRate({ ...PREMIUM, price: null })).toBe('Premium — no price given');
  });
});

describe('the service menu', () => {
  it('asks for the rates when opened, prints with the service picked', async () => {
    const { controller, pending, answer, lastMenu, send } = setup();
    await answer(lookup(), controller.lookup());
    const opened = controller.toggleServices();
    expect(lastMenu()).toEqual({ status: MENU.LOADING });
    expect(pending[0]).toMatchObject({ type: MESSAGE.ORDER_RATES, payload: { order: ORDER } });
    await answer(RATES, opened);
    expect(lastMenu()).toMatchObject({ status: MENU.READY, rates: [PREMIUM, EXPRESS] });

    controller.chooseService(0);
    expect(lastMenu()).toEqual({ status: MENU.CLOSED });
    expect(send).toHaveBeenLastCalledWith(MESSAGE.PRINT_LABEL, {
      order: ORDER,
      idempotencyKey: 'key-1',
      service: { carrier: null, carrierServiceCode: 'PRM' },
    });
  });

  it('offers the rules’ choice when Starshipit answers no rates, and prints without a service', async () => {
    const { controller, answer, lastMenu, send } = setup();
    await answer(lookup(), controller.lookup());
    const opened = controller.toggleServices();
    await answer({ ok: true, data: { rates: [], cached: false, message: 'Starshipit offered no services.' } }, opened);
    expect(lastMenu()).toMatchObject({ status: MENU.READY, rates: [], message: 'Starshipit offered no services.' });
    controller.chooseService(null);
    expect(send).toHaveBeenLastCalledWith(MESSAGE.PRINT_LABEL, { order: ORDER, idempotencyKey: 'key-1' });
  });

  it('shows the failure in words', async () => {
    const { controller, answer, lastMenu } = setup();
    await answer(lookup(), controller.lookup());
    const opened = controller.toggleServices();
    await answer({ ok: false, error: { code: 'upstream_rejected', message: 'Starshipit refused quoting the services: no.' } }, opened);
    expect(lastMenu()).toEqual({ status: MENU.FAILED, error: 'Starshipit refused quoting the services: no.' });
  });

  it('asks for a reason before another service replaces a label, then redoes it', async () => {
    const { controller, answer, lastMenu, lastView, send, pending } = setup();
    await answer(lookup(['LB000001AU'], LABEL_ID), controller.lookup());
    const opened = controller.toggleServices();
    await answer(RATES, opened);
    controller.chooseService(0);
    expect(lastMenu()).toEqual({ status: MENU.CONFIRM, chosen: PREMIUM });
    expect(send).toHaveBeenCalledTimes(2); // nothing printed yet

    const redone = controller.confirmRedo('paid for Premium');
    expect(pending[0]).toMatchObject({
      type: MESSAGE.REDO_LABEL,
      payload: { order: ORDER, labelId: LABEL_ID, reason: 'paid for Premium', service: { carrier: null, carrierServiceCode: 'PRM' } },
    });
    expect(lastView().label).toBe('Printing…');
    await answer(PRINTED, redone);
    expect(lastView()).toMatchObject({ label: 'Printed · LBZ00000001', detail: 'StarTrack' });
  });

  it('a failed redo is not retried as a plain print', async () => {
    const { controller, answer, lastView } = setup();
    await answer(lookup(['LB000001AU'], LABEL_ID), controller.lookup());
    const opened = controller.toggleServices();
    await answer(RATES, opened);
    controller.chooseService(1);
    const redone = controller.confirmRedo('faster');
    await answer({ ok: false, error: { code: 'upstream_unavailable', message: 'Starshipit is down.', retryable: true } }, redone);
    expect(lastView()).toMatchObject({ status: 'failed', detail: 'Starshipit is down.' });
  });
});

describe('renderServiceMenu', () => {
  function mount() {
    const handlers = { onToggle: vi.fn(), onChoose: vi.fn(), onConfirm: vi.fn(), onCancel: vi.fn() };
    const host = createButtonHost(document, { onClick: () => {}, signal: new AbortController().signal });
    createServiceMenu(document, host.shadowRoot, { ...handlers, signal: new AbortController().signal });
    return { root: host.shadowRoot, handlers };
  }

  it('adds no second button and keeps the menu hidden until opened', () => {
    const { root } = mount();
    expect(root.querySelectorAll('button')).toHaveLength(1);
    expect(root.querySelector('.service-toggle').textContent).toBe('▾');
    expect(root.querySelector('.service-menu').hidden).toBe(true);
  });

  it('writes each rate as text, the rules’ choice marked', () => {
    const { root } = mount();
    const hostile = { ...PREMIUM, serviceName: '<img src=x onerror=alert(1)>' };
    renderServiceMenu(root, { status: MENU.READY, rates: [hostile, EXPRESS], message: null });
    const items = [...root.querySelectorAll('.services li')];
    expect(items.map((item) => item.textContent)).toEqual([
      '<img src=x onerror=alert(1)> — AUD 23.10',
      "Australia Post · Express Post — AUD 13.95 · 1-2 days · the rules' choice",
    ]);
    expect(root.querySelector('img')).toBeNull();
    expect(items[1].dataset.rulesChoice).toBe('true');
  });

  it('says there are no rates and offers the rules’ choice', () => {
    const { root } = mount();
    renderServiceMenu(root, { status: MENU.READY, rates: [], message: 'Starshipit offered no services.' });
    expect(root.querySelector('.menu-status').textContent).toBe('Starshipit offered no services.');
    expect([...root.querySelectorAll('.services li')].map((item) => item.textContent)).toEqual([RULES_CHOICE_ENTRY]);
  });

  it('warns that a new service is a new shipment', () => {
    const { root } = mount();
    renderServiceMenu(root, { status: MENU.CONFIRM, chosen: EXPRESS });
    expect(root.querySelector('.redo').hidden).toBe(false);
    expect(root.querySelector('.redo-warning').textContent).toContain('books a new shipment');
    expect(root.querySelector('.redo-warning').textContent).toContain('Australia Post · Express Post');
  });
});
