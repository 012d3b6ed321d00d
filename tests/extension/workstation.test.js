/** Workstation preferences: the worker's two handlers, and the popup's form over them. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { configuredClient } from '../../extension/src/background/configured-client.js';
import { createWorkstationHandlers, readPreferences } from '../../extension/src/background/workstation-handlers.js';
import { createWorkstationForm } from '../../extension/src/popup/workstation-form.js';
import { MESSAGE } from '../../extension/src/shared/messages.js';
import { fakeFetch, fakeStorageArea } from './fakes.js';
import { showHtml, snapshotHtml } from './snapshots.js';

const SETTINGS = { backendUrl: 'http://127.0.0.1:5000', token: 'token-1234567890', autoPrint: true };
const BENCH_1 = { id: 1, name: 'bench-1', host: '10.0.0.5', port: 9100, language: 'zpl', dpi: 203 };
const OFFICE = { id: 2, name: 'office', host: '10.0.0.9', port: 9100, language: 'pdf', dpi: 300 };
const WORKSTATION = { name: 'bench-token', label_layout: 'original', printer: null, packing_slip: false };

function handlersOver(respond, settings = SETTINGS) {
  const fake = fakeFetch(respond);
  const storage = { local: fakeStorageArea(settings) };
  const handlers = createWorkstationHandlers({ backendClient: configuredClient({ storage, fetchImpl: fake.fetchImpl, now: () => 0 }) });
  return { handlers, calls: fake.calls };
}

describe('readPreferences', () => {
  it('turns the popup form into the PUT body', () => {
    expect(readPreferences({ labelLayout: '4x6', printer: 'bench-1', packingSlip: true })).toEqual({ label_layout: '4x6', printer: 'bench-1', packing_slip: true });
    expect(readPreferences({ printer: null })).toEqual({ printer: null });
  });

  it.each([
    [{ labelLayout: 'letter' }, 'label_layout'],
    [{ printer: '' }, 'printer'],
    [{ printer: 'a\nb' }, 'printer'],
    [{ printer: 7 }, 'printer'],
    [{ packingSlip: 'yes' }, 'packing_slip'],
    [{}, 'label_layout'],
  ])('refuses %j with a message for %s', (payload, field) => {
    expect(() => readPreferences(payload)).toThrow(expect.objectContaining({ code: 'invalid_message', fields: { [field]: [expect.any(String)] } }));
  });
});

describe('the worker', () => {
  it('loads the preferences and the printers', async () => {
    const { handlers, calls } = handlersOver((url) => ({ body: url.pathname.endsWith('/printers') ? { printers: [BENCH_1] } : WORKSTATION }));
    expect(await handlers.getWorkstation()).toEqual({ workstation: WORKSTATION, printers: [BENCH_1] });
    expect(calls.map((call) => `${call.init.method} ${call.url.pathname}`).sort()).toEqual(['GET /api/v1/printers', 'GET /api/v1/workstation']);
    expect(calls[0].init.headers.Authorization).toBe(`Bearer ${SETTINGS.token}`);
  });

  it('saves with PUT and answers what the backend kept', async () => {
    const saved = { ...WORKSTATION, label_layout: 'a4', printer: BENCH_1 };
    const { handlers, calls } = handlersOver(() => ({ body: saved }));
    expect(await handlers.saveWorkstation({ labelLayout: 'a4', printer: 'bench-1', packingSlip: false })).toEqual({ workstation: saved });
    expect(calls[0].init.method).toBe('PUT');
    expect(JSON.parse(calls[0].init.body)).toEqual({ label_layout: 'a4', printer: 'bench-1', packing_slip: false });
  });

  it("passes the backend's field messages on", async () => {
    const message = "There is no printer named 'gone': choose one from the list of printers.";
    const { handlers } = handlersOver(() => ({ status: 422, body: { code: 'validation_error', status: 422, message: 'Invalid.', errors: { printer: [message] } } }));
    await expect(handlers.saveWorkstation({ printer: 'gone' })).rejects.toMatchObject({ status: 422, fields: { printer: [message] } });
  });

  it('refuses an answer of another form', async () => {
    const { handlers } = handlersOver(() => ({ body: { ...WORKSTATION, label_layout: 'letter' } }));
    await expect(handlers.saveWorkstation({ labelLayout: '4x6' })).rejects.toMatchObject({ code: 'unexpected_response' });
  });

  it('says how to set up an unconfigured extension', async () => {
    const { handlers, calls } = handlersOver(() => ({ body: WORKSTATION }), {});
    await expect(handlers.getWorkstation()).rejects.toMatchObject({ code: 'not_configured' });
    expect(calls).toHaveLength(0);
  });
});

describe('the popup form', () => {
  // The body only: happy-dom would try to fetch the stylesheet and the script.
  const page = snapshotHtml('../../../extension/src/popup/popup.html');
  const POPUP = page.slice(page.indexOf('<body'));
  const element = (id) => document.getElementById(id);
  let send;
  let form;

  beforeEach(() => {
    showHtml(POPUP, 'chrome-extension://gemklbolcljbkdoodipaiednkjlmeckh/src/popup/popup.html');
    send = vi.fn(async (message) =>
      message.type === MESSAGE.GET_WORKSTATION
        ? { ok: true, data: { workstation: { ...WORKSTATION, label_layout: '4x6', printer: OFFICE, packing_slip: true }, printers: [BENCH_1, OFFICE] } }
        : { ok: true, data: { workstation: { ...WORKSTATION, printer: BENCH_1 } } },
    );
    form = createWorkstationForm({ document, send });
  });

  it('shows the saved preferences, with the printers to choose from', async () => {
    expect(element('workstation-fields').disabled).toBe(true);
    await form.load();
    expect(element('workstation-fields').disabled).toBe(false);
    expect(element('labelLayout').value).toBe('4x6');
    expect([...element('printer').options].map((option) => option.textContent)).toEqual([
      'Browser print dialog',
      'bench-1 (ZPL, 10.0.0.5:9100)',
      'office (PDF, 10.0.0.9:9100)',
    ]);
    expect(element('printer').value).toBe('office');
    expect(element('packingSlip').checked).toBe(true);
    expect(element('workstation-name').textContent).toBe('bench-token');
  });

  it('saves what the form holds; the browser print dialog is no printer', async () => {
    await form.load();
    element('labelLayout').value = 'original';
    element('printer').value = '';
    element('packingSlip').checked = false;
    element('workstation').dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(element('workstation-status').textContent).toBe('Preferences saved.'));
    expect(send).toHaveBeenLastCalledWith({ type: MESSAGE.SAVE_WORKSTATION, payload: { labelLayout: 'original', printer: null, packingSlip: false } });
    expect(element('printer').value).toBe('bench-1');
  });

  it("puts the backend's field messages under their fields, and the rest in the status", async () => {
    await form.load();
    const printer = "There is no printer named 'office': choose one from the list of printers.";
    send.mockResolvedValueOnce({
      ok: false,
      error: { code: 'validation_error', message: 'The preferences are not valid.', fields: { printer: [printer], colour: 'Unknown field.' } },
    });
    expect(await form.save()).toBe(false);
    expect(element('printer-error').textContent).toBe(printer);
    expect(element('printer').getAttribute('aria-invalid')).toBe('true');
    expect(element('labelLayout-error').textContent).toBe('');
    expect(element('workstation-status').textContent).toBe('The preferences are not valid. colour: Unknown field.');
    expect(element('workstation-status').dataset.tone).toBe('error');
    expect(element('workstation-fields').disabled).toBe(false);
  });

  it('says why the preferences could not load', async () => {
    send.mockResolvedValueOnce({ ok: false, error: { code: 'backend_unreachable', message: 'Could not reach the labelbridge backend.' } });
    expect(await form.load()).toBe(false);
    expect(element('workstation-status').textContent).toBe('Could not reach the labelbridge backend.');
    expect(element('workstation-fields').disabled).toBe(true);
  });

  it('shows markup in a printer name as text', async () => {
    send.mockResolvedValueOnce({ ok: true, data: { workstation: WORKSTATION, printers: [{ ...BENCH_1, name: '<img src=x onerror=alert(1)>' }] } });
    await form.load();
    expect(element('printer').querySelector('img')).toBeNull();
    expect(element('printer').options[1].value).toBe('<img src=x onerror=alert(1)>');
  });
});
