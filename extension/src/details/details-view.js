/**
 * The Details panel's rendering: the worker's answer written into the page with textContent
 * only (every value comes from CartonCloud or Starshipit, so none is ever parsed as HTML).
 */

const EVENT_NAMES = Object.freeze({
  trigger: 'Triggered by its status',
  starshipit_order_created: 'Created in Starshipit',
  starshipit_order_found: 'Found in Starshipit',
  transfer_blocked: 'Not transferred',
  print: 'Label printed',
  reprint: 'Label reprinted',
  redo: 'New label (redo)',
  writeback_queued: 'Tracking writeback queued',
  written_back: 'Tracking written back to CartonCloud',
  writeback_failed: 'Tracking writeback failed',
  tracking_status: 'Tracking update',
  error: 'Error',
  void: 'Label voided',
  void_refused: 'Void refused',
  void_written_back: 'Void written back to CartonCloud',
  cancelled_in_cartoncloud: 'Cancelled in CartonCloud after its label',
  return_cloned: 'Return made in Starshipit',
  return_adopted: 'Return found in Starshipit (its answer had been lost)',
  return_printed: 'Return label printed',
  return_reprint: 'Return label reprinted',
  return_failed: 'Return label failed',
  manifested: 'Manifested',
  manifest_failed: 'Manifest failed',
  manifest_settled: 'Manifest confirmed from Starshipit',
  manifest_released: 'Back to the next manifest (Starshipit did not manifest it)',
});

/** The events that make a new label (a new shipment). */
const LABEL_EVENTS = new Set(['print', 'redo']);

/** The service a label was booked with: "StarTrack PRM, chosen at the bench"; null when unknown. */
export function describeService(detail) {
  const booked = [detail.carrier, detail.carrier_service_code].filter((part) => typeof part === 'string' && part).join(' ');
  if (!booked) return null;
  return detail.service_chosen ? `${booked}, chosen at the bench` : `${booked}, the rules' choice`;
}

/** What happened, in a line: the event's name and the detail worth reading. */
export function describeEvent(event) {
  const name = EVENT_NAMES[event.kind] ?? event.kind.replaceAll('_', ' ');
  const detail = event.detail ?? {};
  const service = LABEL_EVENTS.has(event.kind) ? describeService(detail) : null;
  const words = [detail.message, detail.error, service && `service: ${service}`, detail.reason && `reason: ${detail.reason}`,
    detail.manifest_number && `manifest ${detail.manifest_number}`,
    Array.isArray(detail.tracking_numbers) && detail.tracking_numbers.length ? `tracking ${detail.tracking_numbers.join(', ')}` : null,
    Array.isArray(detail.reasons) ? detail.reasons.join(' ') : null,
    Array.isArray(detail.warnings) && detail.warnings.length ? `warnings: ${detail.warnings.join(' ')}` : null]
    .filter((part) => typeof part === 'string' && part);
  return words.length ? `${name}: ${words.join(' · ')}` : name;
}

function item(document, className, text) {
  const element = document.createElement('li');
  if (className) element.className = className;
  element.textContent = text;
  return element;
}

function renderIssues(list, issues, emptyText) {
  const { ownerDocument: document } = list;
  list.replaceChildren();
  if (!issues.length) {
    list.append(item(document, 'none', emptyText));
    return;
  }
  for (const issue of issues) {
    const element = item(document, null, issue.message);
    element.dataset.code = issue.code;
    const field = document.createElement('div');
    field.className = 'field';
    field.textContent = issue.field;
    element.append(field);
    list.append(element);
  }
}

function text(value) {
  return value === null || value === undefined ? '' : String(value);
}

function renderFields(tbody, rows) {
  const { ownerDocument: document } = tbody;
  tbody.replaceChildren(
    ...rows.map((row) => {
      const tr = document.createElement('tr');
      for (const value of [row.starshipit, row.value, row.cartoncloud, row.cartoncloud_value]) {
        const td = document.createElement('td');
        td.textContent = text(value);
        tr.append(td);
      }
      return tr;
    }),
  );
}

function renderEvents(list, events) {
  const { ownerDocument: document } = list;
  list.replaceChildren();
  if (!events.length) {
    list.append(item(document, 'none', 'labelbridge has not handled this order yet.'));
    return;
  }
  for (const event of events) {
    const element = document.createElement('li');
    element.dataset.kind = event.kind;
    const when = document.createElement('span');
    when.className = 'when';
    when.textContent = `${text(event.at).replace('T', ' ').slice(0, 19)} `;
    const what = document.createElement('span');
    what.className = 'kind';
    what.textContent = describeEvent(event);
    const actor = document.createElement('span');
    actor.className = 'actor';
    actor.textContent = event.actor ? ` — ${event.actor}` : '';
    element.append(when, what, actor);
    list.append(element);
  }
}

function showError(element, error) {
  element.hidden = !error;
  element.textContent = error ? error.message : '';
}

/** The service of the order's latest label, from its history. */
function renderService(element, events) {
  const latest = [...events].reverse().find((event) => LABEL_EVENTS.has(event.kind));
  const service = latest ? describeService(latest.detail ?? {}) : null;
  element.hidden = !service;
  element.textContent = service ? `Booked with ${service}.` : '';
}

/** Writes the worker's answer ({order, preview, previewError, events, eventsError}) into `document`. */
export function renderDetails(document, details) {
  const { preview } = details;
  const saleOrder = preview?.sale_order ?? {};
  const name = saleOrder.customer_reference ?? details.order.numericId ?? details.order.id;
  document.getElementById('title').textContent = `Sale order ${name}`;
  document.title = `labelbridge · ${name}`;
  const status = document.getElementById('status');
  if (preview) {
    status.textContent = preview.shippable
      ? `Ready to print${preview.warnings.length ? `, with ${preview.warnings.length} warning(s)` : ''}.`
      : `Cannot be printed: ${preview.blocking.length} problem(s) to fix in CartonCloud.`;
    status.dataset.tone = preview.shippable ? 'success' : 'error';
  } else {
    status.textContent = 'The preview could not be loaded.';
    status.dataset.tone = 'error';
  }
  renderIssues(document.getElementById('blocking'), preview?.blocking ?? [], 'Nothing: the order can be printed.');
  renderIssues(document.getElementById('warnings'), preview?.warnings ?? [], 'No warnings.');
  renderFields(document.querySelector('#fields tbody'), preview?.fields ?? []);
  showError(document.getElementById('preview-error'), details.previewError);
  renderEvents(document.getElementById('events'), details.events ?? []);
  renderService(document.getElementById('service'), details.events ?? []);
  showError(document.getElementById('events-error'), details.eventsError);
  document.body.dataset.ready = 'true';
}

/** A failure of the whole request (not configured, worker gone), in words. */
export function renderFailure(document, error) {
  const status = document.getElementById('status');
  status.textContent = error?.message ?? 'The details could not be loaded.';
  status.dataset.tone = 'error';
  document.body.dataset.ready = 'true';
}
