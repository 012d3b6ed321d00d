import { describe, expect, it, vi } from 'vitest';
import { createOrderHandlers } from '../../extension/src/background/order-handlers.js';
import { getPrintJob } from '../../extension/src/shared/print-jobs.js';
import { getRecentPrints } from '../../extension/src/shared/recent-prints.js';
import { fakeFetch, fakeStorageArea, senders } from './fakes.js';

const KEY = '0b9f3b2c-7f55-4a8f-9d0e-5c1f7a2b3c4d';
const ORDER = { tenantSlug: 'demo-warehouse', numericId: '787061' };
const PDF_BASE64 = btoa('%PDF-1.4 label');
const SETTINGS = { backendUrl: 'http://127.0.0.1:5000', token: 'token-1234567890', autoPrint: true };

const labelResponse = (overrides = {}) => ({
  sale_order: { id: 'a1b2', numeric_id: '787061', customer_reference: 'SO-10045', status: 'PACKED' },
  starshipit_order: { order_id: 1001, order_number: 'SO-10045' },
  carrier: 'Australia Post',
  tracking_numbers: ['LB000001AU'],
  reprint: false,
  label: { id: 'lbl-1', format: 'pdf', layout: 'original', url: '/api/v1/labels/lbl-1/file', content_base64: PDF_BASE64 },
  writeback: 'queued',
  printer: null,
  packing_slip: null,
  ...overrides,
});

const lookupResponse = (overrides = {}) => ({
  sale_order: { id: 'a1b2', numeric_id: '787061', customer_reference: 'SO-10045', status: 'PACKED' },
  state: 'labelled',
  starshipit_order: { order_id: 1001, order_number: 'SO-10045' },
  carrier: 'Australia Post',
  tracking_numbers: ['LB000001AU'],
  label: { id: 'lbl-1', format: 'pdf', url: '/api/v1/labels/lbl-1/file' },
  writeback: 'done',
  last_error: null,
  ...overrides,
});

function setup({ respond = () => ({ status: 201, body: labelResponse() }), settings = SETTINGS } = {}) {
  const storage = { local: fakeStorageArea(settings), session: fakeStorageArea() };
  const fake = fakeFetch(respond);
  const openPrintPage = vi.fn(async () => {});
  const handlers = createOrderHandlers({ storage, fetchImpl: fake.fetchImpl, openPrintPage, newId: () => 'job-1', now: () => 1_700_000_000_000 });
  return { handlers, storage, calls: fake.calls, openPrintPage };
}

describe('printLabel', () => {
  it('posts only identifiers with the Idempotency-Key it was given', async () => {
    const { handlers, calls } = setup();
    await handlers.printLabel({ order: ORDER, idempotencyKey: KEY }, senders.contentScript());
    const [{ url, init }] = calls;
    expect(`${init.method} ${url.pathname}`).toBe('POST /api/v1/labels');
    expect(init.headers['Idempotency-Key']).toBe(KEY);
    expect(JSON.parse(init.body)).toEqual({ sale_order: { numeric_id: '787061' }, tenant_slug: 'demo-warehouse' });
  });

  it('names an outbound-order page by its UUID', async () => {
    const { handlers, calls } = setup();
    const id = '3f0c7a52-9a4e-4a8e-9c1d-2b7f5e6d8a10';
    await handlers.printLabel({ order: { tenantSlug: 'demo', id }, idempotencyKey: KEY }, senders.contentScript());
    expect(JSON.parse(calls[0].init.body)).toEqual({ sale_order: { id }, tenant_slug: 'demo' });
  });

  it('stores the label for the print page, opens it next to the order tab, and answers without the bytes', async () => {
    const { handlers, storage, openPrintPage } = setup();
    const sender = senders.contentScript();
    const reply = await handlers.printLabel({ order: ORDER, idempotencyKey: KEY }, sender);
    expect(reply).toEqual({
      saleOrder: { id: 'a1b2', numericId: '787061', customerReference: 'SO-10045' },
      carrier: 'Australia Post',
      trackingNumbers: ['LB000001AU'],
      labelId: 'lbl-1',
      reprint: false,
      writeback: 'queued',
      printer: null,
    });
    expect(JSON.stringify(reply)).not.toContain(PDF_BASE64);
    expect(openPrintPage).toHaveBeenCalledWith('job-1', sender.tab);
    expect(await getPrintJob('job-1', storage.session)).toMatchObject({
      printedAt: null,
      trackingNumbers: ['LB000001AU'],
      label: { id: 'lbl-1', format: 'pdf', contentBase64: PDF_BASE64 },
    });
    expect(await getRecentPrints(storage.local)).toEqual([
      { at: 1_700_000_000_000, saleOrder: reply.saleOrder, carrier: 'Australia Post', trackingNumbers: ['LB000001AU'], reprint: false },
    ]);
  });

  it('fetches the stored label when the response carries no bytes', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.4 stored');
    const { handlers, storage, calls } = setup({
      respond: (url) =>
        url.pathname === '/api/v1/labels/lbl-1/file'
          ? { raw: pdf, headers: { 'Content-Type': 'application/pdf' } }
          : { status: 200, body: labelResponse({ reprint: true, label: { id: 'lbl-1', format: 'pdf', layout: 'original', url: '/api/v1/labels/lbl-1/file' } }) },
    });
    await handlers.printLabel({ order: ORDER, idempotencyKey: KEY }, senders.contentScript());
    expect(calls.map((call) => call.url.pathname)).toEqual(['/api/v1/labels', '/api/v1/labels/lbl-1/file']);
    expect(atob((await getPrintJob('job-1', storage.session)).label.contentBase64)).toBe('%PDF-1.4 stored');
  });

  it.each([
    ['no idempotency key', { order: ORDER }],
    ['a key that is not a UUID', { order: ORDER, idempotencyKey: 'abc' }],
    ['an order with markup', { order: { numericId: '<img src=x>' }, idempotencyKey: KEY }],
    ['no order', { idempotencyKey: KEY }],
  ])('refuses %s without calling the backend', async (_, payload) => {
    const { handlers, calls } = setup();
    await expect(handlers.printLabel(payload, senders.contentScript())).rejects.toMatchObject({ code: 'invalid_message' });
    expect(calls).toHaveLength(0);
  });

  it('says how to set up an unconfigured extension', async () => {
    const { handlers, calls } = setup({ settings: {} });
    await expect(handlers.printLabel({ order: ORDER, idempotencyKey: KEY }, senders.contentScript())).rejects.toMatchObject({
      code: 'not_configured', message: expect.stringContaining('popup'),
    });
    expect(calls).toHaveLength(0);
  });

  it("passes the backend's refusal on and opens no print page", async () => {
    const message = 'This sale order cannot be shipped: Delivery address has no street (address line 1).';
    const { handlers, openPrintPage } = setup({ respond: () => ({ status: 422, body: { code: 'sale_order_not_shippable', status: 422, message } }) });
    await expect(handlers.printLabel({ order: ORDER, idempotencyKey: KEY }, senders.contentScript())).rejects.toMatchObject({ message, retryable: false });
    expect(openPrintPage).not.toHaveBeenCalled();
  });
});

describe('printer and packing slip', () => {
  const LABEL_ID = '7a2c9f4e-1b7d-4f0a-9a61-0c2b9d8e5f13';
  const printerSent = { name: 'bench-1', status: 'sent', bytes: 1834, message: null, warnings: ['It will print smaller than intended.'] };

  it("keeps the printer's outcome and the packing slip for the print page, and tells the button", async () => {
    const response = labelResponse({
      label: { id: LABEL_ID, format: 'pdf', layout: '4x6', url: `/api/v1/labels/${LABEL_ID}/file`, content_base64: PDF_BASE64 },
      printer: printerSent,
      packing_slip: { url: `/api/v1/labels/${LABEL_ID}/packing-slip` },
    });
    const { handlers, storage } = setup({ respond: () => ({ status: 201, body: response }) });
    const reply = await handlers.printLabel({ order: ORDER, idempotencyKey: KEY }, senders.contentScript());
    expect(reply.printer).toEqual({ name: 'bench-1', status: 'sent' });
    expect(await getPrintJob('job-1', storage.session)).toMatchObject({
      label: { id: LABEL_ID, layout: '4x6' },
      printer: { name: 'bench-1', status: 'sent', message: null, warnings: ['It will print smaller than intended.'] },
      packingSlip: { labelId: LABEL_ID },
    });
  });

  it('fetches the packing slip for the print page', async () => {
    const { handlers, calls } = setup({ respond: () => ({ raw: new TextEncoder().encode('%PDF slip'), headers: { 'Content-Type': 'application/pdf' } }) });
    const reply = await handlers.packingSlip({ labelId: LABEL_ID });
    expect(calls[0].url.pathname).toBe(`/api/v1/labels/${LABEL_ID}/packing-slip`);
    expect(atob(reply.contentBase64)).toBe('%PDF slip');
  });

  it.each([[{}], [{ labelId: '../../orders' }]])('refuses a packing slip request %j', async (payload) => {
    const { handlers, calls } = setup();
    await expect(handlers.packingSlip(payload)).rejects.toMatchObject({ code: 'invalid_message' });
    expect(calls).toHaveLength(0);
  });
});

describe('answers of another form', () => {
  it('refuses a print answer without the label, in words, and opens no print page', async () => {
    const { label: _, ...noLabel } = labelResponse();
    const { handlers, openPrintPage, storage } = setup({ respond: () => ({ status: 201, body: noLabel }) });
    await expect(handlers.printLabel({ order: ORDER, idempotencyKey: KEY }, senders.contentScript())).rejects.toMatchObject({
      code: 'unexpected_response',
      retryable: false,
      message: expect.stringContaining("printing the label is not in the form this extension expects (the answer must have required property 'label')"),
    });
    expect(openPrintPage).not.toHaveBeenCalled();
    expect(await getRecentPrints(storage.local)).toEqual([]);
  });

  it('names each wrong field of a lookup answer', async () => {
    const { handlers } = setup({ respond: () => ({ body: lookupResponse({ state: 'printed', tracking_numbers: 'LB000001AU' }) }) });
    await expect(handlers.lookupOrder({ order: ORDER }, senders.contentScript())).rejects.toMatchObject({
      code: 'unexpected_response',
      message: expect.stringMatching(/state must be equal to one of the allowed values; tracking_numbers must be array/),
    });
  });

  it('takes fields it does not know (the backend may add fields within v1)', async () => {
    const { handlers } = setup({ respond: () => ({ body: lookupResponse({ added_later: { any: 'thing' } }) }) });
    await expect(handlers.lookupOrder({ order: ORDER }, senders.contentScript())).resolves.toMatchObject({ state: 'labelled' });
  });
});

describe('lookupOrder', () => {
  it('asks by numeric id and tenant and answers the summary', async () => {
    const { handlers, calls } = setup({
      respond: () => ({ body: lookupResponse() }),
    });
    const reply = await handlers.lookupOrder({ order: ORDER }, senders.contentScript());
    expect(calls[0].url.pathname + calls[0].url.search).toBe('/api/v1/orders/lookup?numeric_id=787061&tenant_slug=demo-warehouse');
    expect(reply).toEqual({
      saleOrder: { id: 'a1b2', numericId: '787061', customerReference: 'SO-10045' },
      state: 'labelled',
      carrier: 'Australia Post',
      trackingNumbers: ['LB000001AU'],
      labelId: 'lbl-1',
      returnPrinted: false,
    });
  });

  it('says when the order has a return label printed', async () => {
    const returnLabel = { id: 'ret-1', format: 'pdf', url: '/api/v1/labels/ret-1/file' };
    const { handlers } = setup({ respond: () => ({ body: lookupResponse({ return_label: returnLabel }) }) });
    expect((await handlers.lookupOrder({ order: ORDER }, senders.contentScript())).returnPrinted).toBe(true);
  });

  it('reads the settings on every call (nothing kept between worker restarts)', async () => {
    const { handlers, storage, calls } = setup({ respond: () => ({ body: lookupResponse({ state: 'new', tracking_numbers: [] }) }) });
    await handlers.lookupOrder({ order: ORDER }, senders.contentScript());
    await storage.local.set({ backendUrl: 'https://moved.example' });
    await handlers.lookupOrder({ order: ORDER }, senders.contentScript());
    expect(calls.map((call) => call.url.origin)).toEqual(['http://127.0.0.1:5000', 'https://moved.example']);
  });
});

const OLD_LABEL_ID = '6f1d2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';
const RATE = {
  carrier: null,
  carrier_name: null,
  service_name: 'Premium',
  carrier_service_code: 'PRM',
  price: 23.1,
  currency: 'AUD',
  eta: null,
  rules_choice: false,
};

describe('choosing the service', () => {
  it('prints with the service picked in the menu', async () => {
    const { handlers, calls } = setup();
    const service = { carrier: null, carrierServiceCode: 'PRM' };
    await handlers.printLabel({ order: ORDER, idempotencyKey: KEY, service }, senders.contentScript());
    expect(JSON.parse(calls[0].init.body)).toEqual({
      sale_order: { numeric_id: '787061' },
      tenant_slug: 'demo-warehouse',
      service: { carrier: null, carrier_service_code: 'PRM' },
    });
  });

  it.each([[{ carrierServiceCode: '' }], [{ carrier: 5, carrierServiceCode: 'PRM' }], ['PRM']])(
    'refuses a malformed service %j without calling the backend',
    async (service) => {
      const { handlers, calls } = setup();
      await expect(handlers.printLabel({ order: ORDER, idempotencyKey: KEY, service }, senders.contentScript()))
        .rejects.toMatchObject({ code: 'invalid_message' });
      expect(calls).toEqual([]);
    },
  );

  it('asks for the rates of the order by its number and answers them for the menu', async () => {
    const body = { rates: [RATE], rules_choice: null, cached: true, message: null };
    const { handlers, calls } = setup({ respond: () => ({ body }) });
    const reply = await handlers.orderRates({ order: ORDER }, senders.contentScript());
    expect(`${calls[0].init.method} ${calls[0].url.pathname}`).toBe('GET /api/v1/orders/787061/rates');
    expect(reply).toEqual({
      rates: [{ carrier: null, carrierName: null, serviceName: 'Premium', carrierServiceCode: 'PRM', price: 23.1, currency: 'AUD', eta: null, rulesChoice: false }],
      cached: true,
      message: null,
    });
  });

  it('says in words when the rates answer is not what the contract says', async () => {
    const { handlers } = setup({ respond: () => ({ body: { rates: [{ service_name: 'Premium' }] } }) });
    await expect(handlers.orderRates({ order: ORDER }, senders.contentScript())).rejects.toMatchObject({ code: 'unexpected_response' });
  });

  it('redoes the label with the reason and the service, and opens the print page', async () => {
    const { handlers, calls, openPrintPage } = setup();
    const sender = senders.contentScript();
    const reply = await handlers.redoLabel(
      { order: ORDER, labelId: OLD_LABEL_ID, reason: ' paid for Premium ', service: { carrier: null, carrierServiceCode: 'PRM' } },
      sender,
    );
    expect(`${calls[0].init.method} ${calls[0].url.pathname}`).toBe(`POST /api/v1/labels/${OLD_LABEL_ID}/redo`);
    expect(JSON.parse(calls[0].init.body)).toEqual({
      confirm: true,
      reason: 'paid for Premium',
      service: { carrier: null, carrier_service_code: 'PRM' },
    });
    expect(reply.trackingNumbers).toEqual(['LB000001AU']);
    expect(openPrintPage).toHaveBeenCalledWith('job-1', sender.tab);
  });

  it.each([[{ labelId: '../x', reason: 'r' }], [{ labelId: OLD_LABEL_ID, reason: '  ' }], [{ labelId: OLD_LABEL_ID }]])(
    'refuses a redo without a label id or a reason %j',
    async (payload) => {
      const { handlers, calls } = setup();
      await expect(handlers.redoLabel({ order: ORDER, ...payload }, senders.contentScript())).rejects.toMatchObject({ code: 'invalid_message' });
      expect(calls).toEqual([]);
    },
  );
});
