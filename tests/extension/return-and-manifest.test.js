import { beforeEach, describe, expect, it, vi } from 'vitest';
import { configuredClient } from '../../extension/src/background/configured-client.js';
import { createDayHandlers } from '../../extension/src/background/day-handlers.js';
import { createReturnHandlers } from '../../extension/src/background/return-handlers.js';
import { initialState, nextState, viewOf, EVENT } from '../../extension/src/content/button-state.js';
import { returnActionView, setUpReturnAction } from '../../extension/src/details/return-action.js';
import { countLine, createCloseDay, manifestLine } from '../../extension/src/popup/close-day.js';
import { labelFileName } from '../../extension/src/print/label-file.js';
import { MESSAGE } from '../../extension/src/shared/messages.js';
import { getPrintJob } from '../../extension/src/shared/print-jobs.js';
import { fakeFetch, fakeStorageArea, senders } from './fakes.js';
import { showHtml, snapshotHtml } from './snapshots.js';

const SETTINGS = { backendUrl: 'http://127.0.0.1:5000', token: 'token-1234567890', autoPrint: true };
const ORDER = { tenantSlug: 'demo-warehouse', numericId: '787061' };
const LABEL_ID = '7a2c9f4e-1b7d-4f0a-9a61-0c2b9d8e5f13';
const PDF_BASE64 = btoa('%PDF-1.4 return');
const RETURNED = {
  sale_order: { id: 'a1b2', numeric_id: '787061', customer_reference: 'SO-10045', status: 'PACKED' },
  return_order: { order_id: 1002 },
  carrier: 'Australia Post',
  tracking_numbers: ['LB000002AU'],
  reprint: false,
  label: { id: 'ret-1', format: 'PDF', url: '/api/v1/labels/ret-1/file', layout: 'original', content_base64: PDF_BASE64 },
};
const DONE = {
  id: 7,
  carrier: 'Australia Post',
  account: null,
  manifest_number: null,
  state: 'done',
  error: null,
  orders: 2,
  created_by: 'office',
  created_at: '2026-12-02T06:55:00+00:00',
  file: { url: '/api/v1/manifests/7/file' },
};
const REFUSED = {
  ...DONE,
  id: 8,
  carrier: 'StarTrack',
  state: 'failed',
  error: "Starshipit refused manifesting the StarTrack shipments: Manifest failed: StarTrack's manifest service is down",
  orders: 1,
  file: null,
};

function worker(respond) {
  const storage = { local: fakeStorageArea(SETTINGS), session: fakeStorageArea() };
  const fake = fakeFetch(respond);
  const openPrintPage = vi.fn(async () => {});
  const ids = ['job-1', 'job-2', 'job-3'];
  const deps = { backendClient: configuredClient({ storage, fetchImpl: fake.fetchImpl, now: () => 0 }), storage, openPrintPage, newId: () => ids.shift(), now: () => 1_700_000_000_000 };
  return { returns: createReturnHandlers(deps), day: createDayHandlers(deps), storage, calls: fake.calls, openPrintPage };
}

describe('return label (worker)', () => {
  it('posts to the label, keeps the return for the print page and opens it', async () => {
    const { returns, storage, calls, openPrintPage } = worker(() => ({ status: 201, body: RETURNED }));
    const sender = senders.extensionPage('src/details/details.html?numericId=787061');
    const reply = await returns.returnLabel({ order: ORDER, labelId: LABEL_ID.toUpperCase() }, sender);
    expect(`${calls[0].init.method} ${calls[0].url.pathname}`).toBe(`POST /api/v1/labels/${LABEL_ID}/return`);
    expect(reply).toEqual({ labelId: 'ret-1', carrier: 'Australia Post', trackingNumbers: ['LB000002AU'], reprint: false });
    const job = await getPrintJob('job-1', storage.session);
    expect(job).toMatchObject({ kind: 'return', label: { format: 'pdf', contentBase64: PDF_BASE64 }, saleOrder: { customerReference: 'SO-10045' } });
    expect(openPrintPage).toHaveBeenCalledWith('job-1', sender.tab);
    expect(labelFileName(job, 'pdf')).toBe('return-SO-10045-LB000002AU.pdf');
  });

  it('refuses a label id that is not one, before any request', async () => {
    const { returns, calls } = worker(() => ({ body: RETURNED }));
    await expect(returns.returnLabel({ order: ORDER, labelId: '../labels' }, senders.extensionPage())).rejects.toMatchObject({ code: 'invalid_message' });
    expect(calls).toHaveLength(0);
  });

  it("passes Starshipit's refusal on in its words and opens nothing", async () => {
    const refusal = { code: 'upstream_rejected', status: 502, message: 'Starshipit refused making the return: Order is archived' };
    const { returns, openPrintPage } = worker(() => ({ status: 502, body: refusal }));
    await expect(returns.returnLabel({ order: ORDER, labelId: LABEL_ID }, senders.extensionPage())).rejects.toMatchObject({ message: refusal.message });
    expect(openPrintPage).not.toHaveBeenCalled();
  });
});

describe('close the day (worker)', () => {
  it('answers the counts per carrier', async () => {
    const preview = { day_start: '2026-12-02T00:00:00+10:00', carriers: [{ carrier: 'StarTrack', account: null, orders: 3 }], total: 3 };
    const { day, calls } = worker(() => ({ body: preview }));
    expect(await day.manifestPreview()).toEqual({ carriers: [{ carrier: 'StarTrack', orders: 3 }], total: 3 });
    expect(calls[0].url.pathname).toBe('/api/v1/manifests/preview');
  });

  it('closes only when confirmed, opens each PDF and lists the refused carrier in its words', async () => {
    const { day, calls, storage, openPrintPage } = worker((url) =>
      url.pathname.endsWith('/file') ? { raw: '%PDF-1.4 manifest', headers: { 'Content-Type': 'application/pdf' } } : { status: 201, body: { manifests: [DONE, REFUSED] } },
    );
    await expect(day.closeDay({}, senders.extensionPage())).rejects.toMatchObject({ code: 'invalid_message' });
    expect(calls).toHaveLength(0);

    const reply = await day.closeDay({ confirm: true }, senders.extensionPage());
    expect(calls.map(({ url, init }) => `${init.method} ${url.pathname}`)).toEqual(['POST /api/v1/manifests', 'GET /api/v1/manifests/7/file']);
    expect(JSON.parse(calls[0].init.body)).toEqual({ confirm: true });
    expect(reply.manifests).toEqual([
      { carrier: 'Australia Post', state: 'done', number: null, orders: 2, error: null },
      { carrier: 'StarTrack', state: 'failed', number: null, orders: 1, error: REFUSED.error },
    ]);
    expect(openPrintPage).toHaveBeenCalledTimes(1);
    const job = await getPrintJob('job-1', storage.session);
    expect(atob(job.label.contentBase64)).toBe('%PDF-1.4 manifest');
    expect(labelFileName(job, 'pdf')).toBe('manifest-7.pdf');
  });
});

describe('the popup: Close the day', () => {
  const page = snapshotHtml('../../../extension/src/popup/popup.html');
  const POPUP = page.slice(page.indexOf('<body'));
  const element = (id) => document.getElementById(id);
  let send;
  let closeDay;

  beforeEach(() => {
    showHtml(POPUP, 'chrome-extension://gemklbolcljbkdoodipaiednkjlmeckh/src/popup/popup.html');
    send = vi.fn(async (message) =>
      message.type === MESSAGE.MANIFEST_PREVIEW
        ? { ok: true, data: { carriers: [{ carrier: 'Australia Post', orders: 2 }, { carrier: 'StarTrack', orders: 1 }], total: 3 } }
        : { ok: true, data: { manifests: [manifestReply(DONE), manifestReply(REFUSED)] } },
    );
    closeDay = createCloseDay({ document, send });
  });

  const manifestReply = (m) => ({ carrier: m.carrier, state: m.state, number: m.manifest_number, orders: m.orders, error: m.error });
  const lines = () => [...element('close-day-list').children].map((item) => item.textContent);

  it('shows the counts per carrier first and manifests nothing until confirmed', async () => {
    await closeDay.preview();
    expect(lines()).toEqual(['Australia Post · 2 shipments', 'StarTrack · 1 shipment']);
    expect(element('close-day-confirm').hidden).toBe(false);
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0][0]).toEqual({ type: MESSAGE.MANIFEST_PREVIEW });
  });

  it("after the confirmation, lists each manifest and a refused carrier in Starshipit's words, as text", async () => {
    await closeDay.preview();
    await closeDay.confirm();
    expect(send.mock.calls[1][0]).toEqual({ type: MESSAGE.CLOSE_DAY, payload: { confirm: true } });
    expect(lines()).toEqual([
      'Australia Post · manifest number unknown · 2 shipments (PDF opened)',
      `StarTrack · failed: ${REFUSED.error}`,
    ]);
    expect(element('close-day-list').children[1].dataset.tone).toBe('error');
    expect(element('close-day-status').textContent).toBe('1 carrier(s) not manifested: see why above.');
  });

  it('says when nothing is due', async () => {
    send.mockResolvedValueOnce({ ok: true, data: { carriers: [], total: 0 } });
    await closeDay.preview();
    expect(element('close-day-confirm').hidden).toBe(true);
    expect(element('close-day-status').textContent).toMatch(/^Nothing to manifest/);
  });

  it('shows markup in a carrier name as text, never as HTML', () => {
    expect(countLine({ carrier: '<img src=x onerror=alert(1)>', orders: 1 })).toBe('<img src=x onerror=alert(1)> · 1 shipment');
    expect(manifestLine({ carrier: 'X', state: 'unconfirmed', error: 'No answer.' }).text).toMatch(/Check it in Starshipit/);
  });
});

describe('the Details panel: Return label', () => {
  it('is offered once the order has a label, and says when the return is printed', () => {
    expect(returnActionView({ labelId: null, returnLabelId: null }).hidden).toBe(true);
    expect(returnActionView({ labelId: LABEL_ID, returnLabelId: null })).toEqual({ hidden: false, label: 'Return label', status: '' });
    expect(returnActionView({ labelId: LABEL_ID, returnLabelId: 'ret-1' })).toEqual({ hidden: false, label: 'Reprint return label', status: 'Return printed' });
  });

  it('asks the worker for the return of the order shown, and shows it printed', async () => {
    document.body.innerHTML = '<button id="return-label" hidden></button><span id="return-status"></span>';
    const send = vi.fn(async () => ({ ok: true, data: { labelId: 'ret-1', carrier: 'Australia Post', trackingNumbers: ['LB000002AU'], reprint: false } }));
    setUpReturnAction(document, { order: ORDER, labelId: LABEL_ID, returnLabelId: null }, send);
    const button = document.getElementById('return-label');
    expect(button.hidden).toBe(false);
    button.click();
    await vi.waitFor(() => expect(document.getElementById('return-status').textContent).toBe('Return printed · LB000002AU'));
    expect(send).toHaveBeenCalledWith({ type: MESSAGE.RETURN_LABEL, payload: { order: ORDER, labelId: LABEL_ID } });
    expect(button.textContent).toBe('Reprint return label');
  });
});

describe('the button', () => {
  it('says "Return printed" for a labelled order whose return is printed', () => {
    const lookup = { state: 'labelled', trackingNumbers: ['LB1'], carrier: 'Australia Post', labelId: 'lbl-1', returnPrinted: true };
    const view = viewOf(nextState(initialState(), { type: EVENT.ORDER_CONFIRMED, lookup }));
    expect(view.detail).toBe('Australia Post · Return printed');
    const without = viewOf(nextState(initialState(), { type: EVENT.ORDER_CONFIRMED, lookup: { ...lookup, returnPrinted: false } }));
    expect(without.detail).toBe('Australia Post');
  });
});
