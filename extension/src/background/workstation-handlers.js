/**
 * The popup's workstation preferences: label layout, default printer, packing slip. They live
 * on the backend, on this browser's token (GET/PUT /api/v1/workstation); the printers to choose
 * from come from GET /api/v1/printers. The worker checks what the popup sends before the backend
 * sees it.
 */
import { BackendError } from './backend.js';
import { SHAPE, expectShape } from './response-shapes.js';

export const LABEL_LAYOUTS = Object.freeze(['original', '4x6', 'a4']);
const MAX_PRINTER_NAME = 100;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const TIMEOUT_MS = 10_000;

function invalidPreferences(fields) {
  return new BackendError({ code: 'invalid_message', message: 'These preferences cannot be saved: fix the marked fields.', fields });
}

/** The PUT body from the popup's payload, field by field; throws with field messages otherwise. */
export function readPreferences(payload) {
  const body = {};
  const fields = {};
  if (payload?.labelLayout !== undefined) {
    if (LABEL_LAYOUTS.includes(payload.labelLayout)) body.label_layout = payload.labelLayout;
    else fields.label_layout = ['Choose one of the label layouts.'];
  }
  if (payload?.printer !== undefined) {
    const { printer } = payload;
    const named = typeof printer === 'string' && printer.length > 0 && printer.length <= MAX_PRINTER_NAME && !CONTROL_CHARACTERS.test(printer);
    if (printer === null || named) body.printer = printer;
    else fields.printer = ['Choose a printer from the list, or the browser print dialog.'];
  }
  if (payload?.packingSlip !== undefined) {
    if (typeof payload.packingSlip === 'boolean') body.packing_slip = payload.packingSlip;
    else fields.packing_slip = ['Choose whether a packing slip prints with each label.'];
  }
  if (Object.keys(fields).length) throw invalidPreferences(fields);
  if (!Object.keys(body).length) throw invalidPreferences({ label_layout: ['Nothing to save.'] });
  return body;
}

/** deps: {backendClient() → client}. */
export function createWorkstationHandlers({ backendClient }) {
  async function getWorkstation() {
    const client = await backendClient();
    const [workstation, printers] = await Promise.all([
      client.requestJson('GET', '/api/v1/workstation', { timeoutMs: TIMEOUT_MS }),
      client.requestJson('GET', '/api/v1/printers', { timeoutMs: TIMEOUT_MS }),
    ]);
    return {
      workstation: expectShape(SHAPE.WORKSTATION, workstation),
      printers: expectShape(SHAPE.PRINTERS, printers).printers,
    };
  }

  async function saveWorkstation(payload) {
    const body = readPreferences(payload);
    const client = await backendClient();
    return { workstation: expectShape(SHAPE.WORKSTATION, await client.requestJson('PUT', '/api/v1/workstation', { body, timeoutMs: TIMEOUT_MS })) };
  }

  return { getWorkstation, saveWorkstation };
}
