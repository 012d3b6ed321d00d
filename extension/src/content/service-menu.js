/**
 * The service menu beside Print label: the ▾ that opens it, the courier services Starshipit
 * quotes for the order (the mapping rules' pick marked), and the confirmation that a new
 * service for an order with a label needs (it books a new shipment). Rendering writes
 * textContent and attributes only: every value shown comes from Starshipit.
 *
 * No <button> elements: the page (and its tests) know one button per host.
 */

export const MENU = Object.freeze({
  CLOSED: 'closed',
  LOADING: 'loading',
  READY: 'ready',
  FAILED: 'failed',
  CONFIRM: 'confirm',
});

export const RULES_CHOICE_ENTRY = "Print with the rules' choice";

/** "Australia Post · Express Post — AUD 13.95 · 1-2 business days" */
export function describeRate(rate) {
  const carrier = rate.carrierName ?? rate.carrier;
  const name = carrier ? `${carrier} · ${rate.serviceName}` : rate.serviceName;
  const price = typeof rate.price === 'number' ? `${rate.currency ?? ''} ${rate.price.toFixed(2)}`.trim() : 'no price given';
  return [`${name} — ${price}`, rate.eta].filter(Boolean).join(' · ');
}

/** The confirmation's words before a new shipment replaces the order's label. */
export function redoWarning(rate) {
  const service = rate ? describeRate(rate).split(' — ')[0] : "the rules' choice";
  return `This order has a label already. Printing it with ${service} books a new shipment; `
    + 'the label you have stays booked with the courier until it is voided. Why the new label?';
}

function actionLink(document, className, text) {
  const link = document.createElement('a');
  link.href = '#';
  link.className = className;
  link.setAttribute('role', 'button');
  link.textContent = text;
  return link;
}

function onActivate(element, handler, signal) {
  element.addEventListener('click', (event) => {
    event.preventDefault();
    if (event.isTrusted) handler(event);
  }, { signal });
}

/**
 * Adds the ▾ after `button` and the (hidden) menu at the end of `root`. Handlers, removed when
 * `signal` aborts: onToggle(), onChoose(index|null: the rules' choice), onConfirm(reason), onCancel().
 */
export function createServiceMenu(document, root, { onToggle, onChoose, onConfirm, onCancel, signal }) {
  const toggle = actionLink(document, 'service-toggle', '▾');
  toggle.title = 'Choose the courier service';
  toggle.setAttribute('aria-haspopup', 'menu');
  toggle.setAttribute('aria-expanded', 'false');
  const panel = document.createElement('div');
  panel.className = 'service-menu';
  panel.hidden = true;
  const status = document.createElement('p');
  status.className = 'menu-status';
  status.setAttribute('role', 'status');
  const list = document.createElement('ul');
  list.className = 'services';
  list.setAttribute('role', 'menu');
  const confirm = document.createElement('form');
  confirm.className = 'redo';
  const warning = document.createElement('p');
  warning.className = 'redo-warning';
  const reason = document.createElement('input');
  reason.name = 'reason';
  reason.maxLength = 500;
  reason.placeholder = 'Reason (e.g. the customer paid for express)';
  const go = actionLink(document, 'confirm', 'Make a new label');
  const cancel = actionLink(document, 'cancel', 'Cancel');
  confirm.append(warning, reason, go, cancel);
  panel.append(status, list, confirm);
  root.querySelector('button').after(toggle);
  root.append(panel);

  onActivate(toggle, () => onToggle(), signal);
  list.addEventListener('click', (event) => {
    const entry = event.target.closest('li[data-choice]');
    if (!entry || !event.isTrusted) return;
    onChoose(entry.dataset.choice === 'rules' ? null : Number(entry.dataset.choice));
  }, { signal });
  const submit = () => {
    const text = reason.value.trim();
    if (text) onConfirm(text);
    else reason.focus();
  };
  onActivate(go, submit, signal);
  confirm.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  }, { signal });
  onActivate(cancel, () => onCancel(), signal);
}

function entry(document, choice, text, rulesChoice = false) {
  const item = document.createElement('li');
  item.setAttribute('role', 'menuitem');
  item.tabIndex = 0;
  item.dataset.choice = choice;
  item.textContent = text;
  if (rulesChoice) {
    item.dataset.rulesChoice = 'true';
    const mark = document.createElement('span');
    mark.className = 'rules-mark';
    mark.textContent = " · the rules' choice";
    item.append(mark);
  }
  return item;
}

/** menu: {status (MENU), rates, message, error, chosen (a rate or null)}. */
export function renderServiceMenu(root, menu) {
  const { ownerDocument: document } = root.host;
  const toggle = root.querySelector('.service-toggle');
  const panel = root.querySelector('.service-menu');
  const status = root.querySelector('.menu-status');
  const list = root.querySelector('.services');
  const confirm = root.querySelector('.redo');
  const open = menu.status !== MENU.CLOSED;
  toggle.setAttribute('aria-expanded', String(open));
  panel.hidden = !open;
  panel.dataset.status = menu.status;
  confirm.hidden = menu.status !== MENU.CONFIRM;
  list.hidden = menu.status !== MENU.READY;
  const words = {
    [MENU.LOADING]: 'Asking Starshipit for the services…',
    [MENU.FAILED]: menu.error,
    [MENU.READY]: menu.message ?? 'Print with:',
    [MENU.CONFIRM]: '',
  };
  status.textContent = words[menu.status] ?? '';
  status.hidden = !status.textContent;
  if (menu.status === MENU.READY) {
    const rates = menu.rates ?? [];
    list.replaceChildren(
      ...rates.map((rate, index) => entry(document, String(index), describeRate(rate), rate.rulesChoice)),
      ...(rates.length ? [] : [entry(document, 'rules', RULES_CHOICE_ENTRY)]),
    );
  }
  if (menu.status === MENU.CONFIRM) {
    root.querySelector('.redo-warning').textContent = redoWarning(menu.chosen);
    root.querySelector('.redo input').value = '';
  }
}
