import { describe, expect, it, vi } from 'vitest';
import { createVoidHandlers, readReason } from '../../extension/src/background/void-handlers.js';
import { createDetailsHandlers } from '../../extension/src/background/details-handlers.js';
import { EVENT, currentLabelId, initialState, nextState, viewOf } from '../../extension/src/content/button-state.js';
import { BEFORE_VOIDING, renderVoidAction } from '../../extension/src/details/void-action.js';
import { renderNeedsAttention } from '../../extension/src/popup/needs-attention.js';
import { MESSAGE } from '../../extension/src/shared/messages.js';
import { fakeFetch, fakeStorageArea } from './fakes.js';

const SETTINGS = { backendUrl: 'http://127.0.0.1:5000', token: 'token-1234567890', autoPrint: true };
const LABEL_ID = '7a2c9f4e-1b7d-4f0a-9a61-0c2b9d8e5f13';
const VOIDED_LABEL = {
  id: LABEL_ID,
  voided_at: '2026-11-25T10:05:00+00:00',
  voided_by: 'supervisor-1',
  reason: 'Wrong box size',
  action: 'archived',
  tracking_numbers: ['LB000001AU'],
};
const VOID_ANSWER = {
  sale_order: { id: 'a1', numeric_id: '787061', customer_reference: 'SO-10045', status: 'PACKED' },
  label: VOIDED_LABEL,
  already_void: false,
  explanation: 'The shipment was archived in Starshipit; contact the courier if it was handed over.',
  writeback: 'queued',
};

function handlers(respond) {
  const fake = fakeFetch(respond);
  return { voids: createVoidHandlers({ storage: { local: fakeStorageArea(SETTINGS) }, fetchImpl: fake.fetchImpl, now: () => 0 }), calls: fake.calls };
}

describe('void handlers', () => {
  it('sends the reason to the label void and answers in the worker\'s words', async () => {
    const { voids, calls } = handlers(() => ({ body: VOID_ANSWER }));
    const answer = await voids.voidLabel({ labelId: LABEL_ID, reason: '  Wrong box size ' });
    expect(calls[0].url.pathname).toBe(`/api/v1/labels/${LABEL_ID}/void`);
    expect(calls[0].init.method).toBe('POST');
    expect(JSON.parse(calls[0].init.body)).toEqual({ reason: 'Wrong box size' });
    expect(answer).toEqual({
      labelId: LABEL_ID,
      action: 'archived',
      alreadyVoid: false,
      explanation: VOID_ANSWER.explanation,
      trackingNumbers: ['LB000001AU'],
    });
  });

  it.each([
    [{ labelId: '../admin', reason: 'x' }, 'label'],
    [{ labelId: LABEL_ID, reason: '   ' }, 'reason'],
    [{ labelId: LABEL_ID, reason: 'x'.repeat(501) }, 'reason'],
    [{ labelId: LABEL_ID }, 'reason'],
  ])('refuses %o before the backend sees it', async (payload, what) => {
    const { voids, calls } = handlers(() => ({ body: VOID_ANSWER }));
    await expect(voids.voidLabel(payload)).rejects.toMatchObject({ code: 'invalid_message', message: expect.stringContaining(what) });
    expect(calls).toEqual([]);
  });

  it('passes the backend\'s refusal on in its words', async () => {
    const refusal = { code: 'forbidden', status: 403, message: 'This needs a supervisor or admin token; packer tokens can print and look up only.' };
    const { voids } = handlers(() => ({ status: 403, body: refusal }));
    await expect(voids.voidLabel({ labelId: LABEL_ID, reason: 'x' })).rejects.toMatchObject({ message: refusal.message });
  });

  it('refuses an answer that is not a void', async () => {
    const { voids } = handlers(() => ({ body: { ...VOID_ANSWER, explanation: undefined } }));
    await expect(voids.voidLabel({ labelId: LABEL_ID, reason: 'x' })).rejects.toMatchObject({ code: 'unexpected_response' });
  });

  it('lists the orders that need attention', async () => {
    const { voids, calls } = handlers(() => ({
      body: {
        needs_attention: [
          { sale_order: { id: 'a1', numeric_id: '787061', customer_reference: 'SO-10045' }, status: 'REJECTED', message: 'Void it.' },
        ],
      },
    }));
    expect(await voids.needsAttention({})).toEqual({ items: [{ name: 'SO-10045', numericId: '787061', status: 'REJECTED', message: 'Void it.' }] });
    expect(calls[0].url.pathname).toBe('/api/v1/sync/status');
  });

  it('trims the reason and bounds it', () => {
    expect(readReason(' a ')).toBe('a');
    expect(readReason('')).toBeNull();
    expect(readReason(7)).toBeNull();
  });
});

describe('the button after a void', () => {
  const lookup = { state: 'voided', trackingNumbers: [], carrier: null, labelId: null };

  it('says the label was voided and prints a new shipment without a redo', () => {
    const state = nextState(initialState(), { type: EVENT.ORDER_CONFIRMED, lookup });
    const view = viewOf(state);
    expect(view.label).toBe('Voided · print again');
    expect(view.disabled).toBe(false);
    expect(currentLabelId(state)).toBeNull(); // no label to redo: the click prints straight away
    expect(nextState(state, { type: EVENT.PRINT_REQUESTED, freshKey: 'k1' }).status).toBe('printing');
  });

  it('shows Print label again for an order never voided', () => {
    const state = nextState(initialState(), { type: EVENT.ORDER_CONFIRMED, lookup: { ...lookup, state: 'new' } });
    expect(viewOf(state).label).toBe('Print label');
  });
});

describe('details: void action', () => {
  function section() {
    document.body.innerHTML = '<section id="void" hidden></section>';
    return document.getElementById('void');
  }

  it('asks for confirmation with the reason and says what voiding does', async () => {
    const target = section();
    const send = vi.fn(async () => ({ ok: true, data: { explanation: VOID_ANSWER.explanation } }));
    const onVoided = vi.fn();
    renderVoidAction(target, { id: LABEL_ID, voided: null, trackingNumbers: ['LB000001AU'] }, { send, onVoided });
    expect(target.hidden).toBe(false);
    expect(document.getElementById('void-form').hidden).toBe(true);

    document.getElementById('void-open').click();
    expect(document.getElementById('void-form').hidden).toBe(false);
    expect(document.getElementById('void-explanation').textContent).toBe(BEFORE_VOIDING);
    expect(target.textContent).toContain('Void this label (tracking LB000001AU)?');

    document.getElementById('void-form').dispatchEvent(new Event('submit', { cancelable: true }));
    expect(send).not.toHaveBeenCalled();
    expect(document.getElementById('void-status').textContent).toBe('Say why the label is voided.');

    document.getElementById('void-reason').value = ' <b>wrong</b> box ';
    document.getElementById('void-form').dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(onVoided).toHaveBeenCalled());
    expect(send).toHaveBeenCalledWith({ type: MESSAGE.VOID_LABEL, payload: { labelId: LABEL_ID, reason: '<b>wrong</b> box' } });
    expect(document.getElementById('void-status').textContent).toBe(`Voided. ${VOID_ANSWER.explanation}`);
  });

  it('shows a refusal in the backend\'s words and voids nothing', async () => {
    const target = section();
    const send = vi.fn(async () => ({ ok: false, error: { message: 'Starshipit refused archiving the order: <i>manifested</i>' } }));
    const onVoided = vi.fn();
    renderVoidAction(target, { id: LABEL_ID, voided: null, trackingNumbers: [] }, { send, onVoided });
    document.getElementById('void-open').click();
    document.getElementById('void-reason').value = 'wrong box';
    document.getElementById('void-form').dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(document.getElementById('void-status').dataset.tone).toBe('error'));
    expect(document.getElementById('void-status').textContent).toBe('Starshipit refused archiving the order: <i>manifested</i>');
    expect(target.querySelector('i')).toBeNull();
    expect(onVoided).not.toHaveBeenCalled();
  });

  it('says a voided label was voided, by whom and why, with no button', () => {
    const target = section();
    renderVoidAction(target, { id: LABEL_ID, voided: { ...VOIDED_LABEL, reason: '<script>x</script>' }, trackingNumbers: [] }, { send: vi.fn() });
    expect(document.getElementById('void-open')).toBeNull();
    expect(target.textContent).toBe(
      "This order's label was voided on 2026-11-25 10:05 by supervisor-1 (archived in Starshipit): <script>x</script>. Print label makes a new shipment.",
    );
    expect(target.querySelector('script')).toBeNull();
  });

  it('is hidden for an order without a label', () => {
    const target = section();
    renderVoidAction(target, null, { send: vi.fn() });
    expect(target.hidden).toBe(true);
  });

  it('the panel\'s handler finds the label to void, or the one voided last', async () => {
    // Whole lookup answers: the worker checks each against the shared schema before using it.
    const order = { sale_order: { id: 'a1b2', numeric_id: '787061', customer_reference: 'SO-787061', status: 'PACKED' }, carrier: null, starshipit_order: null, writeback: null, last_error: null };
    const lookups = [
      { ...order, state: 'labelled', label: { id: LABEL_ID, format: 'pdf', url: `/api/v1/labels/${LABEL_ID}/file` }, tracking_numbers: ['LB1'] },
      { ...order, state: 'voided', label: null, tracking_numbers: [], voided_label: VOIDED_LABEL },
    ];
    for (const [index, lookup] of lookups.entries()) {
      const fake = fakeFetch((url) => ({ body: url.pathname.endsWith('/lookup') ? lookup : url.pathname.endsWith('/events') ? { events: [] } : {} }));
      const details = createDetailsHandlers({ storage: { local: fakeStorageArea(SETTINGS) }, fetchImpl: fake.fetchImpl, now: () => 0, openDetailsPage: vi.fn() });
      const { label } = await details.orderDetails({ order: { tenantSlug: 'demo-warehouse', numericId: '787061' } });
      expect(label).toEqual(index === 0 ? { id: LABEL_ID, voided: null, trackingNumbers: ['LB1'] } : { id: LABEL_ID, voided: VOIDED_LABEL, trackingNumbers: ['LB000001AU'] });
    }
  });
});

describe('popup: needs attention', () => {
  it('lists the cancelled orders as text and hides itself when there are none', () => {
    document.body.innerHTML = '<section id="needs-attention" hidden><ol></ol></section>';
    const target = document.getElementById('needs-attention');
    renderNeedsAttention(target, { ok: true, data: { items: [{ name: 'SO-10045', status: 'REJECTED', message: '<b>void</b> it' }] } });
    expect(target.hidden).toBe(false);
    expect(target.textContent).toContain('SO-10045 · REJECTED');
    expect(target.querySelector('b')).toBeNull();
    renderNeedsAttention(target, { ok: true, data: { items: [] } });
    expect(target.hidden).toBe(true);
    renderNeedsAttention(target, { ok: false, error: { message: 'offline' } });
    expect(target.hidden).toBe(true);
  });
});
