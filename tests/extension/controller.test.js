import { describe, expect, it, vi } from 'vitest';
import { createOrderController } from '../../extension/src/content/controller.js';
import { MESSAGE } from '../../extension/src/shared/messages.js';

const ORDER = { tenantSlug: 'demo-warehouse', numericId: '787061' };
const SALE_ORDER = { id: 'a1', numericId: '787061', customerReference: 'SO-10045' };
const LOOKUP = { ok: true, data: { saleOrder: SALE_ORDER, state: 'new', carrier: null, trackingNumbers: [] } };
const PRINTED = { ok: true, data: { saleOrder: SALE_ORDER, carrier: 'Australia Post', trackingNumbers: ['LB000001AU'], reprint: false } };

/** A send() whose answers the test releases one by one. */
function controlledSend() {
  const pending = [];
  const send = vi.fn((type, payload) => new Promise((resolve) => pending.push({ type, payload, resolve })));
  return { send, answer: (reply) => pending.shift().resolve(reply), pending };
}

function setup({ pageReference = 'SO-10045', signal = new AbortController().signal, page = { reference: pageReference } } = {}) {
  const channel = controlledSend();
  const views = [];
  let keys = 0;
  const controller = createOrderController({
    order: ORDER,
    send: channel.send,
    readCustomerReference: () => page.reference,
    render: (view) => views.push(view),
    newKey: () => `key-${(keys += 1)}`,
    signal,
  });
  return { controller, channel, views, lastView: () => views.at(-1) };
}

async function settle(promise) {
  await promise;
}

describe('createOrderController', () => {
  it('asks the worker about the order on load and offers Print label', async () => {
    const { controller, channel, lastView } = setup();
    const lookup = controller.lookup();
    expect(channel.pending[0]).toMatchObject({ type: MESSAGE.LOOKUP_ORDER, payload: { order: ORDER } });
    channel.answer(LOOKUP);
    await settle(lookup);
    expect(lastView()).toMatchObject({ label: 'Print label', disabled: false });
  });

  it('sends one request for a double click', async () => {
    const { controller, channel, lastView } = setup();
    const lookup = controller.lookup();
    channel.answer(LOOKUP);
    await settle(lookup);
    const first = controller.print();
    const second = controller.print();
    expect(lastView().label).toBe('Printing…');
    expect(channel.send).toHaveBeenCalledTimes(2); // the lookup and one print
    channel.answer(PRINTED);
    await Promise.all([first, second]);
    expect(lastView()).toMatchObject({ label: 'Printed · LB000001AU', detail: 'Australia Post' });
  });

  it('retries with the same Idempotency-Key after the worker was lost, a new one after a success', async () => {
    const { controller, channel } = setup();
    const lookup = controller.lookup();
    channel.answer(LOOKUP);
    await settle(lookup);

    const first = controller.print();
    channel.answer({ ok: false, error: { code: 'worker_unavailable', message: 'Lost contact', retryable: true } });
    await settle(first);
    const retry = controller.print();
    channel.answer(PRINTED);
    await settle(retry);
    const reprint = controller.print();
    channel.answer(PRINTED);
    await settle(reprint);

    const keys = channel.send.mock.calls.filter(([type]) => type === MESSAGE.PRINT_LABEL).map(([, payload]) => payload.idempotencyKey);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('blocks printing when the backend found another order than the page shows', async () => {
    const { controller, channel, lastView } = setup({ pageReference: 'SO-99999' });
    const lookup = controller.lookup();
    channel.answer(LOOKUP);
    await settle(lookup);
    expect(lastView()).toMatchObject({ disabled: true, tone: 'error', detail: expect.stringContaining('SO-99999') });
    await controller.print();
    expect(channel.send).toHaveBeenCalledTimes(1);
  });

  it('unblocks when the page catches up with the URL', async () => {
    const page = { reference: 'SO-10044' }; // still the previous order's page
    const { controller, channel, lastView } = setup({ page });
    const lookup = controller.lookup();
    channel.answer(LOOKUP);
    await settle(lookup);
    expect(lastView().status).toBe('blocked');
    page.reference = 'SO-10045';
    controller.recheck();
    expect(lastView()).toMatchObject({ status: 'ready', label: 'Print label', disabled: false });
  });

  it('drops answers that arrive after the page moved on', async () => {
    const lifetime = new AbortController();
    const { controller, channel, views } = setup({ signal: lifetime.signal });
    const lookup = controller.lookup();
    lifetime.abort();
    channel.answer(LOOKUP);
    await settle(lookup);
    expect(views.map((view) => view.status)).toEqual(['checking']);
  });
});
