import { describe, expect, it, vi } from 'vitest';
import { MESSAGE, SENDER } from '../../extension/src/shared/messages.js';
import { classifySender, createRouter, messageListener } from '../../extension/src/background/router.js';
import { BackendError } from '../../extension/src/background/backend.js';
import { EXTENSION_ID, senders } from './fakes.js';

function routerWithSpies() {
  const handlers = { lookup: vi.fn(async () => 'looked up'), test: vi.fn(async () => 'tested') };
  const route = createRouter(
    {
      [MESSAGE.LOOKUP_ORDER]: { from: SENDER.CONTENT_SCRIPT, handle: handlers.lookup },
      [MESSAGE.TEST_CONNECTION]: { from: SENDER.EXTENSION_PAGE, handle: handlers.test },
    },
    EXTENSION_ID,
  );
  return { route, handlers };
}

/** Runs the chrome.runtime.onMessage listener and returns what it answered. */
function answer(route, message, sender) {
  return new Promise((resolve) => {
    expect(messageListener(route)(message, sender, resolve)).toBe(true);
  });
}

describe('classifySender', () => {
  it.each([
    ['a content script on CartonCloud', senders.contentScript(), SENDER.CONTENT_SCRIPT],
    ['a content script on a sandbox page', senders.contentScript('http://127.0.0.1:5000/app/demo/SaleOrders/view/1'), SENDER.CONTENT_SCRIPT],
    ['the popup', senders.extensionPage(), SENDER.EXTENSION_PAGE],
    ['the print page in a tab', { ...senders.extensionPage('src/print/print.html?job=1'), tab: { id: 3 } }, SENDER.EXTENSION_PAGE],
    ['another extension', { ...senders.extensionPage(), id: 'abcdefghijklmnopabcdefghijklmnop' }, null],
    ['a sub-frame of a sale-order page', { ...senders.contentScript(), frameId: 3 }, null],
    ['a content script on another site', senders.contentScript('https://evil.example/demo/SaleOrders/view/1'), null],
    ['a sandbox-host page outside /app', senders.contentScript('http://127.0.0.1:5000/admin'), null],
    ['a sale-order URL without a tab', { ...senders.contentScript(), tab: undefined }, null],
    ['nothing', undefined, null],
  ])('%s', (_, sender, expected) => {
    expect(classifySender(sender, EXTENSION_ID)).toBe(expected);
  });
});

describe('createRouter', () => {
  it('hands a known message from the right sender to its handler', async () => {
    const { route, handlers } = routerWithSpies();
    const sender = senders.contentScript();
    await expect(route({ type: MESSAGE.LOOKUP_ORDER, payload: { order: 1 } }, sender)).resolves.toBe('looked up');
    expect(handlers.lookup).toHaveBeenCalledWith({ order: 1 }, sender);
  });

  it.each([
    ['an unknown id', { type: 'labelbridge/delete-everything' }],
    ['a prototype property', { type: 'toString' }],
    ['no id', { payload: {} }],
    ['not an object', 'labelbridge/lookup-order'],
    ['null', null],
  ])('refuses %s', async (_, message) => {
    const { route, handlers } = routerWithSpies();
    await expect(route(message, senders.contentScript())).rejects.toMatchObject({ code: 'unknown_message' });
    expect(handlers.lookup).not.toHaveBeenCalled();
  });

  it.each([
    ['a content-script message from the popup', MESSAGE.LOOKUP_ORDER, senders.extensionPage()],
    ['a popup message from a content script', MESSAGE.TEST_CONNECTION, senders.contentScript()],
    ['a message from another extension', MESSAGE.TEST_CONNECTION, { ...senders.extensionPage(), id: 'x' }],
  ])('refuses %s', async (_, type, sender) => {
    const { route, handlers } = routerWithSpies();
    await expect(route({ type }, sender)).rejects.toMatchObject({ code: 'unexpected_sender' });
    expect(handlers.lookup).not.toHaveBeenCalled();
    expect(handlers.test).not.toHaveBeenCalled();
  });
});

describe('messageListener', () => {
  it('answers {ok: true, data}', async () => {
    const { route } = routerWithSpies();
    expect(await answer(route, { type: MESSAGE.TEST_CONNECTION }, senders.extensionPage())).toEqual({ ok: true, data: 'tested' });
  });

  it('answers a refusal as data', async () => {
    const { route } = routerWithSpies();
    expect(await answer(route, { type: 'nope' }, senders.extensionPage())).toMatchObject({ ok: false, error: { code: 'unknown_message' } });
  });

  it("passes the backend's error on in words", async () => {
    const error = new BackendError({ code: 'not_found', status: 404, message: 'Sale order 1 was not found in CartonCloud.' });
    const route = createRouter({ [MESSAGE.TEST_CONNECTION]: { from: SENDER.EXTENSION_PAGE, handle: async () => { throw error; } } }, EXTENSION_ID);
    expect(await answer(route, { type: MESSAGE.TEST_CONNECTION }, senders.extensionPage())).toEqual({
      ok: false,
      error: { code: 'not_found', status: 404, message: 'Sale order 1 was not found in CartonCloud.', retryable: false, retryAfter: null, fields: null },
    });
  });

  it('hides unexpected errors behind a plain sentence', async () => {
    const route = createRouter({ [MESSAGE.TEST_CONNECTION]: { from: SENDER.EXTENSION_PAGE, handle: async () => { throw new TypeError('x is undefined'); } } }, EXTENSION_ID);
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    const reply = await answer(route, { type: MESSAGE.TEST_CONNECTION }, senders.extensionPage());
    expect(reply).toMatchObject({ ok: false, error: { code: 'extension_error' } });
    expect(reply.error.message).not.toContain('undefined');
    quiet.mockRestore();
  });
});
