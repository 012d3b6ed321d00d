/**
 * The service worker: the only caller of the backend. Everything it needs is read from
 * chrome.storage on each event, so Chrome may stop it between any two messages.
 * Listeners are registered synchronously at the top level, as MV3 requires.
 */
import { COMMAND_PRINT_LABEL, MESSAGE, SENDER } from '../shared/messages.js';
import { createRouter, messageListener } from './router.js';
import { createOrderHandlers } from './order-handlers.js';
import { createConnectionTest } from './connection-test.js';
import { createDetailsHandlers } from './details-handlers.js';
import { syncSandboxContentScript } from './sandbox-pages.js';

const PRINT_PAGE = 'src/print/print.html';

async function openPrintPage(jobId, openerTab) {
  const url = chrome.runtime.getURL(`${PRINT_PAGE}?job=${encodeURIComponent(jobId)}`);
  const placement = openerTab ? { openerTabId: openerTab.id, index: openerTab.index + 1 } : {};
  await chrome.tabs.create({ url, ...placement });
}

async function openDetailsPage(path, openerTab) {
  const placement = openerTab ? { openerTabId: openerTab.id, index: openerTab.index + 1 } : {};
  await chrome.tabs.create({ url: chrome.runtime.getURL(path), ...placement });
}

const storage = { local: chrome.storage.local, session: chrome.storage.session };
const deps = { storage, fetchImpl: (...args) => fetch(...args), now: Date.now };
const orders = createOrderHandlers({ ...deps, openPrintPage, newId: () => crypto.randomUUID() });
const details = createDetailsHandlers({ ...deps, openDetailsPage });

const route = createRouter(
  {
    [MESSAGE.LOOKUP_ORDER]: { from: SENDER.CONTENT_SCRIPT, handle: orders.lookupOrder },
    [MESSAGE.PRINT_LABEL]: { from: SENDER.CONTENT_SCRIPT, handle: orders.printLabel },
    [MESSAGE.TEST_CONNECTION]: { from: SENDER.EXTENSION_PAGE, handle: createConnectionTest(deps) },
    [MESSAGE.OPEN_DETAILS]: { from: SENDER.CONTENT_SCRIPT, handle: details.openDetails },
    [MESSAGE.ORDER_DETAILS]: { from: SENDER.EXTENSION_PAGE, handle: details.orderDetails },
  },
  chrome.runtime.id,
);

chrome.runtime.onMessage.addListener(messageListener(route));

chrome.commands.onCommand.addListener(async (command, tab) => {
  if (command !== COMMAND_PRINT_LABEL) return;
  const [target] = tab ? [tab] : await chrome.tabs.query({ active: true, lastFocusedWindow: true });
  if (!target?.id) return;
  // The content script does the printing, so the button on the page shows what happens.
  await chrome.tabs.sendMessage(target.id, { type: MESSAGE.PRINT_FROM_SHORTCUT }).catch(() => {
    // No labelbridge button on that tab (not a sale-order page): the shortcut does nothing.
  });
});

// onInstalled and permissions.onAdded can fire together; a Web Lock keeps their syncs in turn.
const syncSandbox = () =>
  navigator.locks
    .request('labelbridge-sandbox-script', () =>
      syncSandboxContentScript({ permissions: chrome.permissions, scripting: chrome.scripting }),
    )
    .catch((error) => console.error('labelbridge: could not register the sandbox content script', error));
chrome.runtime.onInstalled.addListener(syncSandbox);
chrome.runtime.onStartup.addListener(syncSandbox);
chrome.permissions.onAdded.addListener(syncSandbox);
chrome.permissions.onRemoved.addListener(syncSandbox);
