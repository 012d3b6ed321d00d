/**
 * The worker's batch print: the content script's message checked, one POST with a batch id the
 * worker made, polls one at a time while it runs, progress relayed to the tab, the outcome.
 */
import { describe, expect, it, vi } from 'vitest';
import { POLL_INTERVAL_MS, createBatchHandlers } from '../../extension/src/background/batch-handlers.js';
import { configuredClient } from '../../extension/src/background/configured-client.js';
import { getPrintJob } from '../../extension/src/shared/print-jobs.js';
import { fakeFetch, fakeStorageArea, senders } from './fakes.js';

const BATCH_ID = '6d1f2c3b-8a9e-4f70-b1c2-d3e4f5a6b7c8';
const SETTINGS = { backendUrl: 'http://127.0.0.1:5000', token: 'token-1234567890', autoPrint: true };
const LIST = { tenantSlug: 'demo-warehouse' };
const IDS = ['787061', '787062', '787063'];
const NO_STREET = 'This sale order cannot be shipped: Delivery address has no street (address line 1).';

function result(index, numericId, failed = false) {
  const label = { id: `7a2c9f4e-1b7d-4f0a-9a61-0c2b9d8e5f1${index}`, format: 'pdf', layout: 'original', url: `/api/v1/labels/x${index}/file` };
  return {
    index,
    sale_order: { numeric_id: numericId },
    status: failed ? 'failed' : 'printed',
    label: failed ? null : label,
    carrier: failed ? null : 'Australia Post',
    tracking_numbers: failed ? [] : [`LB00000${index}AU`],
    // The first order's label had been voided: this is its new shipment.
    after_void: index === 0 ? { label_id: 'voided-label', tracking_numbers: ['LB000009AU'] } : null,
    error: failed ? { code: 'sale_order_not_shippable', message: NO_STREET } : null,
  };
}

function batchBody({ done = 3, state = 'finished', failedIndex = 1, printer = null, file = true } = {}) {
  const results = IDS.slice(0, done).map((numericId, index) => result(index, numericId, index === failedIndex));
  const failed = results.filter((entry) => entry.status === 'failed').length;
  return {
    batch: { id: BATCH_ID, state, total: IDS.length, done, printed: done - failed, reprinted: 0, failed },
    results,
    file: state === 'finished' && file ? { url: `/api/v1/labels/batches/${BATCH_ID}/file`, format: 'pdf', layout: 'original', pages: 2 } : null,
    file_error: state === 'finished' && !file ? 'No label was printed.' : null,
    printer,
  };
}

/**
 * The handlers over a fake backend. `post(init)` answers the POST (may wait); `get(count)` answers
 * the n-th poll. Counts polls in flight at once.
 */
function setup({ post = () => ({ body: batchBody() }), get = () => ({ status: 404, body: { code: 'not_found', status: 404, message: 'No such batch.' } }), settings = SETTINGS } = {}) {
  const storage = { local: fakeStorageArea(settings), session: fakeStorageArea() };
  const polls = { count: 0, inFlight: 0, maxInFlight: 0 };
  const fake = fakeFetch(async (url, init) => {
    if (init.method === 'POST') return post(init);
    if (url.pathname.endsWith('/file')) return { raw: new TextEncoder().encode('%PDF-1.7 merged'), headers: { 'Content-Type': 'application/pdf' } };
    polls.count += 1;
    polls.inFlight += 1;
    polls.maxInFlight = Math.max(polls.maxInFlight, polls.inFlight);
    try {
      return await get(polls.count);
    } finally {
      polls.inFlight -= 1;
    }
  });
  const ids = [BATCH_ID, 'job-1'];
  const openPrintPage = vi.fn(async () => {});
  const sendProgress = vi.fn(async () => {});
  // The poll interval, on a real (tiny) timer: the POST's answer is read in between.
  const sleep = vi.fn(() => new Promise((resolve) => setTimeout(resolve, 1)));
  const handlers = createBatchHandlers({
    backendClient: configuredClient({ storage, fetchImpl: fake.fetchImpl, now: () => 1_700_000_000_000 }),
    storage,
    newId: () => ids.shift(),
    now: () => 1_700_000_000_000,
    openPrintPage,
    sendProgress,
    sleep,
  });
  return { handlers, storage, calls: fake.calls, polls, openPrintPage, sendProgress, sleep };
}

/** A POST that answers once `until()` holds, checked on each poll. */
function postAnsweringWhen(until, answer = () => ({ body: batchBody() })) {
  return () =>
    new Promise((resolve) => {
      const check = setInterval(() => {
        if (!until()) return;
        clearInterval(check);
        resolve(answer());
      }, 1);
    });
}

describe('printBatch', () => {
  it.each([
    ['no list', { numericIds: IDS }],
    ['a tenant with markup', { list: { tenantSlug: '<b>x</b>' }, numericIds: IDS }],
    ['no orders', { list: LIST, numericIds: [] }],
    ['101 orders', { list: LIST, numericIds: Array.from({ length: 101 }, (_, index) => String(700000 + index)) }],
    ['a numeric id with letters', { list: LIST, numericIds: ['78706a'] }],
    ['numbers instead of strings', { list: LIST, numericIds: [787061] }],
    ['an order twice', { list: LIST, numericIds: ['787061', '787061'] }],
    ['not a list of ids', { list: LIST, numericIds: '787061' }],
  ])('refuses %s without calling the backend', async (_, payload) => {
    const { handlers, calls } = setup();
    await expect(handlers.printBatch(payload, senders.contentScript())).rejects.toMatchObject({ code: 'invalid_message' });
    expect(calls).toHaveLength(0);
  });

  it('says how to set up an unconfigured extension', async () => {
    const { handlers, calls } = setup({ settings: {} });
    await expect(handlers.printBatch({ list: LIST, numericIds: IDS }, senders.contentScript())).rejects.toMatchObject({ code: 'not_configured' });
    expect(calls).toHaveLength(0);
  });

  it('posts the ids in list order under a batch id it made, and polls that batch one poll at a time', async () => {
    let answered = 0;
    const { handlers, calls, polls, sendProgress } = setup({
      post: postAnsweringWhen(() => answered >= 3),
      get: (count) => {
        answered = count;
        return count === 1 ? { status: 404, body: { code: 'not_found', status: 404, message: 'No such batch.' } } : { body: batchBody({ done: count - 1, state: 'running' }) };
      },
    });
    const sender = senders.contentScript('http://127.0.0.1:5000/app/demo-warehouse/SaleOrders');
    await handlers.printBatch({ list: LIST, numericIds: ['787063', '787061', '787062'] }, sender);

    const post = calls.find((call) => call.init.method === 'POST');
    expect(post.url.pathname).toBe('/api/v1/labels/batch');
    expect(JSON.parse(post.init.body)).toEqual({
      batch_id: BATCH_ID,
      sale_orders: [{ numeric_id: '787063' }, { numeric_id: '787061' }, { numeric_id: '787062' }],
      tenant_slug: 'demo-warehouse',
    });
    const pollPaths = new Set(calls.filter((call) => call.init.method === 'GET').map((call) => call.url.pathname));
    expect([...pollPaths]).toEqual([`/api/v1/labels/batches/${BATCH_ID}`]);
    expect(polls.count).toBeGreaterThanOrEqual(3);
    expect(polls.maxInFlight).toBe(1);
    // Before the backend had the batch (404) nothing was relayed; then each poll's count, to the sender's tab and frame.
    const relayed = sendProgress.mock.calls.map(([tab, frameId, payload]) => [tab.id, frameId, payload]);
    expect(relayed.slice(0, 2)).toEqual([
      [sender.tab.id, 0, { batchId: BATCH_ID, done: 1, total: 3 }],
      [sender.tab.id, 0, { batchId: BATCH_ID, done: 2, total: 3 }],
    ]);
  });

  it('waits the poll interval between polls', async () => {
    let answered = 0;
    const { handlers, sleep } = setup({ post: postAnsweringWhen(() => answered >= 2), get: (count) => ((answered = count), { body: batchBody({ done: 1, state: 'running' }) }) });
    await handlers.printBatch({ list: LIST, numericIds: IDS }, senders.contentScript());
    expect(sleep).toHaveBeenCalledWith(POLL_INTERVAL_MS);
    expect(sleep.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  it('answers the summary with each failed order and its reason, and opens the merged document', async () => {
    const { handlers, storage, openPrintPage } = setup();
    const sender = senders.contentScript();
    const reply = await handlers.printBatch({ list: LIST, numericIds: IDS }, sender);
    expect(reply).toEqual({
      batchId: BATCH_ID,
      total: 3,
      printed: 2,
      reprinted: 0,
      failed: 1,
      failures: [{ numericId: '787062', code: 'sale_order_not_shippable', message: NO_STREET }],
      printer: null,
      fileError: null,
      opened: true,
    });
    expect(openPrintPage).toHaveBeenCalledWith('job-1', sender.tab);
    const job = await getPrintJob('job-1', storage.session);
    expect(job).toEqual({
      id: 'job-1',
      createdAt: 1_700_000_000_000,
      printedAt: null,
      batch: {
        id: BATCH_ID,
        total: 3,
        printed: 2,
        reprinted: 0,
        failed: 1,
        afterVoid: [{ numericId: IDS[0], trackingNumbers: ['LB000009AU'] }],
      },
      file: { format: 'pdf', layout: 'original', pages: 2 },
      printer: null,
    });
  });

  it("passes a network printer's outcome on", async () => {
    const printer = { name: 'bench-1', status: 'sent', bytes: 2048, message: null, warnings: ['It will print smaller than intended.'] };
    const { handlers, storage } = setup({ post: () => ({ body: batchBody({ printer }) }) });
    const reply = await handlers.printBatch({ list: LIST, numericIds: IDS }, senders.contentScript());
    expect(reply.printer).toEqual({ name: 'bench-1', status: 'sent', message: null, warnings: ['It will print smaller than intended.'] });
    expect((await getPrintJob('job-1', storage.session)).printer).toEqual(reply.printer);
  });

  it('opens nothing when no label printed, and says why', async () => {
    const { handlers, openPrintPage } = setup({ post: () => ({ body: batchBody({ file: false }) }) });
    const reply = await handlers.printBatch({ list: LIST, numericIds: IDS }, senders.contentScript());
    expect(reply).toMatchObject({ opened: false, fileError: 'No label was printed.' });
    expect(openPrintPage).not.toHaveBeenCalled();
  });

  it("passes the backend's refusal on, with its fields", async () => {
    const refusal = { code: 'validation_error', status: 422, message: 'The request is not valid.', errors: { sale_orders: { 1: ['Repeats item 0.'] } } };
    const { handlers, openPrintPage } = setup({ post: () => ({ status: 422, body: refusal }) });
    await expect(handlers.printBatch({ list: LIST, numericIds: IDS }, senders.contentScript())).rejects.toMatchObject({
      code: 'validation_error',
      message: 'The request is not valid.',
      fields: refusal.errors,
      retryable: false,
    });
    expect(openPrintPage).not.toHaveBeenCalled();
  });

  it('refuses an answer of another form, in words', async () => {
    const { batch: _, ...noBatch } = batchBody();
    const { handlers } = setup({ post: () => ({ body: noBatch }) });
    await expect(handlers.printBatch({ list: LIST, numericIds: IDS }, senders.contentScript())).rejects.toMatchObject({
      code: 'unexpected_response',
      message: expect.stringContaining("printing the batch is not in the form this extension expects (the answer must have required property 'batch')"),
    });
  });

  it('follows the batch by its polls when the connection of the POST is lost', async () => {
    let polled = 0;
    const { handlers, openPrintPage } = setup({
      post: () => Promise.reject(new TypeError('Failed to fetch')),
      get: (count) => ((polled = count), { body: batchBody(count < 3 ? { done: count, state: 'running' } : {}) }),
    });
    const reply = await handlers.printBatch({ list: LIST, numericIds: IDS }, senders.contentScript());
    expect(polled).toBe(3);
    expect(reply).toMatchObject({ printed: 2, failed: 1, opened: true });
    expect(openPrintPage).toHaveBeenCalled();
  });

  it('gives up with the connection error when the backend does not know the batch', async () => {
    const { handlers } = setup({ post: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(handlers.printBatch({ list: LIST, numericIds: IDS }, senders.contentScript())).rejects.toMatchObject({
      code: 'backend_unreachable',
      retryable: true,
    });
  });
});

describe('batchFile', () => {
  it('fetches the merged document of the batch for the print page', async () => {
    const { handlers, calls } = setup();
    const reply = await handlers.batchFile({ batchId: BATCH_ID.toUpperCase() });
    expect(calls[0].url.pathname).toBe(`/api/v1/labels/batches/${BATCH_ID}/file`);
    expect(atob(reply.contentBase64)).toBe('%PDF-1.7 merged');
  });

  it.each([[{}], [{ batchId: '../labels' }], [{ batchId: 42 }]])('refuses %j', async (payload) => {
    const { handlers, calls } = setup();
    await expect(handlers.batchFile(payload)).rejects.toMatchObject({ code: 'invalid_message' });
    expect(calls).toHaveLength(0);
  });
});
