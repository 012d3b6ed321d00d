import { describe, expect, it, vi } from 'vitest';
import { createDetailsHandlers } from '../../extension/src/background/details-handlers.js';
import { detailsPath, orderFromDetailsUrl } from '../../extension/src/shared/details-url.js';
import { describeEvent, renderDetails, renderFailure } from '../../extension/src/details/details-view.js';
import { createButtonHost, renderButton } from '../../extension/src/content/button-view.js';
import { fakeFetch, fakeStorageArea, senders } from './fakes.js';

const ORDER = { tenantSlug: 'demo-warehouse', numericId: '10054' };
const SETTINGS = { backendUrl: 'http://127.0.0.1:5000', token: 'token-1234567890', autoPrint: true };
const PREVIEW = {
  sale_order: { id: 'a1', numeric_id: '10054', customer_reference: 'SO-10054', status: 'PACKED' },
  shippable: false,
  blocking: [{ field: 'details.deliver.address.address1', code: 'no_street', message: 'Delivery address has no street (address line 1).' }],
  warnings: [{ field: 'packages', code: 'default_package', message: '<b>default</b> parcel' }],
  starshipit_order: {},
  fields: [{ starshipit: 'order_number', value: 'SO-10054', cartoncloud: 'references.customer', cartoncloud_value: 'SO-10054' }],
  address_validation: { checked: false, valid: null, suggestions: [], message: null },
  cartoncloud: {},
};
const LOOKUP = {
  sale_order: { id: 'a1b2', numeric_id: '10054', customer_reference: 'SO-10054', status: 'PACKED' },
  state: 'labelled',
  starshipit_order: { order_id: 1001, order_number: 'SO-10054' },
  carrier: 'Australia Post',
  tracking_numbers: ['LB000001AU'],
  label: { id: 'lbl-1', format: 'pdf', url: '/api/v1/labels/lbl-1/file' },
  writeback: 'done',
  last_error: null,
  return_label: { id: 'ret-1', format: 'pdf', url: '/api/v1/labels/ret-1/file' },
};
const EVENTS = [
  { id: 1, at: '2026-01-02T03:04:05+00:00', kind: 'error', actor: 'bench-1', detail: { code: 'sale_order_not_shippable', message: 'No street.' } },
];

function setup(respond) {
  const fake = fakeFetch(respond);
  const openDetailsPage = vi.fn(async () => {});
  const handlers = createDetailsHandlers({ storage: { local: fakeStorageArea(SETTINGS) }, fetchImpl: fake.fetchImpl, now: () => 0, openDetailsPage });
  return { handlers, calls: fake.calls, openDetailsPage };
}

function panelDocument() {
  document.body.innerHTML = `<h1 id="title"></h1><p id="status"></p><p id="service" hidden></p><ul id="blocking"></ul><ul id="warnings"></ul>
    <p id="preview-error" hidden></p><table id="fields"><tbody></tbody></table><ol id="events"></ol><p id="events-error" hidden></p>`;
  return document;
}

describe('details url', () => {
  it.each([ORDER, { tenantSlug: 'demo-warehouse', id: '0b9f3b2c-7f55-4a8f-9d0e-5c1f7a2b3c4d' }])('round-trips %o', (order) => {
    expect(orderFromDetailsUrl(`chrome-extension://x/${detailsPath(order)}`)).toEqual(order);
  });

  it('refuses a url naming no valid order', () => {
    expect(orderFromDetailsUrl('chrome-extension://x/src/details/details.html?numericId=12a')).toBeNull();
    expect(orderFromDetailsUrl('chrome-extension://x/src/details/details.html')).toBeNull();
  });
});

describe('details handlers', () => {
  it('opens the panel beside the tab for a checked order only', async () => {
    const { handlers, openDetailsPage } = setup(() => ({}));
    const sender = senders.contentScript();
    await handlers.openDetails({ order: ORDER }, sender);
    expect(openDetailsPage).toHaveBeenCalledWith('src/details/details.html?tenant=demo-warehouse&numericId=10054', sender.tab);
    await expect(handlers.openDetails({ order: { numericId: '1; drop' } }, sender)).rejects.toMatchObject({ code: 'invalid_message' });
  });

  it('asks the backend for the preview, the history and the labels', async () => {
    const { handlers, calls } = setup((url) => ({
      body: url.pathname.endsWith('/events') ? { sale_order: null, events: EVENTS } : url.pathname.endsWith('/lookup') ? LOOKUP : PREVIEW,
    }));
    const details = await handlers.orderDetails({ order: ORDER });
    expect(calls.map(({ url }) => `${url.pathname}${url.search}`).sort()).toEqual([
      '/api/v1/orders/10054/events',
      '/api/v1/orders/lookup?numeric_id=10054&tenant_slug=demo-warehouse',
      '/api/v1/orders/preview?numeric_id=10054&tenant_slug=demo-warehouse',
    ]);
    expect(details).toEqual({
      order: ORDER,
      preview: PREVIEW,
      previewError: null,
      events: EVENTS,
      eventsError: null,
      label: { id: 'lbl-1', voided: null, trackingNumbers: ['LB000001AU'] },
      labelId: 'lbl-1',
      returnLabelId: 'ret-1',
    });
  });

  it('keeps the history when the preview fails, with the backend words', async () => {
    const { handlers } = setup((url) => (url.pathname.endsWith('/events')
      ? { body: { sale_order: null, events: [] } }
      : { status: 404, body: { code: 'not_found', status: 404, message: 'Sale order 10054 was not found in CartonCloud.' } }));
    const details = await handlers.orderDetails({ order: ORDER });
    expect(details.preview).toBeNull();
    expect(details.previewError.message).toBe('Sale order 10054 was not found in CartonCloud.');
    expect(details.events).toEqual([]);
  });

  it('says when the extension is not set up', async () => {
    const handlers = createDetailsHandlers({ storage: { local: fakeStorageArea({}) }, fetchImpl: vi.fn(), now: () => 0, openDetailsPage: vi.fn() });
    await expect(handlers.orderDetails({ order: ORDER })).rejects.toMatchObject({ code: 'not_configured' });
  });
});

describe('details view', () => {
  it('shows the blocking reasons, the warnings as text and the history', () => {
    const doc = panelDocument();
    renderDetails(doc, { order: ORDER, preview: PREVIEW, previewError: null, events: EVENTS, eventsError: null });
    expect(doc.getElementById('title').textContent).toBe('Sale order SO-10054');
    expect(doc.getElementById('status').dataset.tone).toBe('error');
    expect(doc.querySelector('#blocking li').dataset.code).toBe('no_street');
    expect(doc.getElementById('blocking').textContent).toContain('Delivery address has no street (address line 1).');
    expect(doc.querySelector('#warnings li b')).toBeNull();
    expect(doc.getElementById('warnings').textContent).toContain('<b>default</b> parcel');
    expect([...doc.querySelectorAll('#fields td')].map((td) => td.textContent)).toEqual(['order_number', 'SO-10054', 'references.customer', 'SO-10054']);
    expect(doc.getElementById('events').textContent).toContain('Error: No street.');
    expect(doc.body.dataset.ready).toBe('true');
  });

  it('says which service the latest label was booked with', () => {
    const doc = panelDocument();
    const events = [
      { id: 1, at: '2026-01-02T03:04:05+00:00', kind: 'print', actor: 'bench-1', detail: { carrier: 'Australia Post', service_chosen: false } },
      { id: 2, at: '2026-01-02T03:05:05+00:00', kind: 'redo', actor: 'bench-1', detail: { carrier: 'StarTrack', carrier_service_code: 'PRM', service_chosen: true } },
      { id: 3, at: '2026-01-02T03:06:05+00:00', kind: 'reprint', actor: 'bench-2', detail: {} },
    ];
    renderDetails(doc, { order: ORDER, preview: PREVIEW, previewError: null, events, eventsError: null });
    expect(doc.getElementById('service').hidden).toBe(false);
    expect(doc.getElementById('service').textContent).toBe('Booked with StarTrack PRM, chosen at the bench.');
  });

  it('shows the preview error and an empty history', () => {
    const doc = panelDocument();
    renderDetails(doc, { order: ORDER, preview: null, previewError: { message: 'CartonCloud is down.' }, events: [], eventsError: null });
    expect(doc.getElementById('preview-error').hidden).toBe(false);
    expect(doc.getElementById('preview-error').textContent).toBe('CartonCloud is down.');
    expect(doc.getElementById('events').textContent).toContain('not handled this order yet');
    expect(doc.getElementById('service').hidden).toBe(true);
    renderFailure(doc, { message: 'labelbridge is not set up yet.' });
    expect(doc.getElementById('status').textContent).toBe('labelbridge is not set up yet.');
  });

  it.each([
    [{ kind: 'redo', detail: { reason: 'torn', tracking_numbers: ['T1'] } }, 'New label (redo): reason: torn · tracking T1'],
    [{ kind: 'writeback_failed', detail: { error: 'CartonCloud (HTTP 503): down' } }, 'Tracking writeback failed: CartonCloud (HTTP 503): down'],
    [{ kind: 'something_new', detail: {} }, 'something new'],
    [
      { kind: 'print', detail: { carrier: 'StarTrack', carrier_service_code: 'PRM', service_chosen: true, tracking_numbers: ['T2'] } },
      'Label printed: service: StarTrack PRM, chosen at the bench · tracking T2',
    ],
    [{ kind: 'print', detail: { carrier: 'Australia Post', carrier_service_code: null, service_chosen: false } }, "Label printed: service: Australia Post, the rules' choice"],
  ])('describes %o', (event, expected) => {
    expect(describeEvent(event)).toBe(expected);
  });
});

describe('details link beside the button', () => {
  it('opens the panel on click and links failures to it', () => {
    const onDetails = vi.fn();
    const host = createButtonHost(document, { onClick: () => {}, onDetails, signal: new AbortController().signal });
    const link = host.shadowRoot.querySelector('.details-link');
    expect(link.hidden).toBe(false);
    link.click();
    expect(onDetails).toHaveBeenCalledTimes(1);
    renderButton(host, { status: 'failed', label: 'Retry print', disabled: false, tone: 'error', detail: 'No street.', title: '' });
    expect(link.textContent).toBe('Why? Details');
    expect(link.dataset.emphasis).toBe('true');
    renderButton(host, { status: 'ready', label: 'Print label', disabled: false, tone: 'neutral', detail: null, title: '' });
    expect(link.textContent).toBe('Details');
    expect(host.shadowRoot.querySelectorAll('button')).toHaveLength(1);
  });

  it('is hidden when nothing handles it', () => {
    const host = createButtonHost(document, { onClick: () => {}, signal: new AbortController().signal });
    expect(host.shadowRoot.querySelector('.details-link').hidden).toBe(true);
  });
});
