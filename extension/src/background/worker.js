/**
 * The service worker: the only caller of the backend. Everything it needs is read from
 * chrome.storage on each event, so Chrome may stop it between any two messages.
 * Listeners are registered synchronously at the top level, as MV3 requires.
 */
import { COMMAND_PRINT_LABEL, MESSAGE, SENDER } from '../shared/messages.js';
import { createRouter, messageListener } from './router.js';
import { createOrderHandlers } from './order-handlers.js';
import { createBatchHandlers } from './batch-handlers.js';
import { configuredClient } from './configured-client.js';
import { createConnectionTest } from './connection-test.js';
import { createDetailsHandlers } from './details-handlers.js';
import { createWorkstationHandlers } from './workstation-handlers.js';
import { syncSandboxContentScript } from './sandbox-pages.js';
import { createEnrollment } from './enrollment.js';
import { createVoidHandlers } from './void-handlers.js';
import { createReturnHandlers } from './return-handlers.js';
import { createDayHandlers } from './day-handlers.js';
import { MANAGED_AREA_NAME } from '../shared/managed-area.js';

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

/** Tells the list page how far its batch has got; a closed tab just stops hearing. */
async function sendProgress(tab, frameId, payload) {
  await chrome.tabs.sendMessage(tab.id, { type: MESSAGE.BATCH_PROGRESS, payload }, { frameId }).catch(() => {});
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const storage = { local: chrome.storage.local, session: chrome.storage.session };
const deps = { storage, fetchImpl: (...args) => fetch(...args), now: Date.now };
const newId = () => crypto.randomUUID();
const backendClient = configuredClient(deps);
const orders = createOrderHandlers({ ...deps, openPrintPage, newId });
const batches = createBatchHandlers({ ...deps, backendClient, newId, openPrintPage, sendProgress, sleep });
const details = createDetailsHandlers({ ...deps, openDetailsPage });
const workstation = createWorkstationHandlers({ backendClient });
const enrollment = createEnrollment(deps);
const voids = createVoidHandlers(deps);
const returns = createReturnHandlers({ backendClient, storage, openPrintPage, newId, now: Date.now });
const day = createDayHandlers({ backendClient, storage, openPrintPage, newId, now: Date.now });

const route = createRouter(
  {
    [MESSAGE.LOOKUP_ORDER]: { from: SENDER.CONTENT_SCRIPT, handle: orders.lookupOrder },
    [MESSAGE.PRINT_LABEL]: { from: SENDER.CONTENT_SCRIPT, handle: orders.printLabel },
    [MESSAGE.ORDER_RATES]: { from: SENDER.CONTENT_SCRIPT, handle: orders.orderRates },
    [MESSAGE.REDO_LABEL]: { from: SENDER.CONTENT_SCRIPT, handle: orders.redoLabel },
    [MESSAGE.TEST_CONNECTION]: { from: SENDER.EXTENSION_PAGE, handle: createConnectionTest(deps) },
    [MESSAGE.OPEN_DETAILS]: { from: SENDER.CONTENT_SCRIPT, handle: details.openDetails },
    [MESSAGE.ORDER_DETAILS]: { from: SENDER.EXTENSION_PAGE, handle: details.orderDetails },
    [MESSAGE.PRINT_BATCH]: { from: SENDER.CONTENT_SCRIPT, handle: batches.printBatch },
    [MESSAGE.BATCH_FILE]: { from: SENDER.EXTENSION_PAGE, handle: batches.batchFile },
    [MESSAGE.PACKING_SLIP]: { from: SENDER.EXTENSION_PAGE, handle: orders.packingSlip },
    [MESSAGE.GET_WORKSTATION]: { from: SENDER.EXTENSION_PAGE, handle: workstation.getWorkstation },
    [MESSAGE.SAVE_WORKSTATION]: { from: SENDER.EXTENSION_PAGE, handle: workstation.saveWorkstation },
    [MESSAGE.ENROLL]: { from: SENDER.EXTENSION_PAGE, handle: enrollment.enroll },
    // Voiding comes from the Details panel only: a content script is trusted for nothing.
    [MESSAGE.VOID_LABEL]: { from: SENDER.EXTENSION_PAGE, handle: voids.voidLabel },
    [MESSAGE.NEEDS_ATTENTION]: { from: SENDER.EXTENSION_PAGE, handle: voids.needsAttention },
    [MESSAGE.RETURN_LABEL]: { from: SENDER.EXTENSION_PAGE, handle: returns.returnLabel },
    [MESSAGE.MANIFEST_PREVIEW]: { from: SENDER.EXTENSION_PAGE, handle: day.manifestPreview },
    [MESSAGE.CLOSE_DAY]: { from: SENDER.EXTENSION_PAGE, handle: day.closeDay },
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

// A force-installed bench enrolls itself with the organisation's code (managed storage).
const enrollFromPolicy = () =>
  enrollment.enrollFromPolicy().catch((error) => console.error('labelbridge: enrollment from policy failed', error));
chrome.runtime.onInstalled.addListener(enrollFromPolicy);
chrome.runtime.onStartup.addListener(enrollFromPolicy);
chrome.storage.onChanged.addListener((_changes, area) => {
  if (area === MANAGED_AREA_NAME) enrollFromPolicy();
});
