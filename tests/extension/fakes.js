/** Test doubles for the chrome.* pieces the extension uses. */

/** An in-memory chrome.storage area with the get() argument forms the extension uses. */
export function fakeStorageArea(initial = {}) {
  const data = structuredClone(initial);
  return {
    data,
    async get(keys) {
      if (keys === null || keys === undefined) return structuredClone(data);
      if (typeof keys === 'string') return keys in data ? { [keys]: structuredClone(data[keys]) } : {};
      if (Array.isArray(keys)) return Object.fromEntries(keys.filter((key) => key in data).map((key) => [key, structuredClone(data[key])]));
      return Object.fromEntries(Object.entries(keys).map(([key, fallback]) => [key, structuredClone(key in data ? data[key] : fallback)]));
    },
    async set(values) {
      Object.assign(data, structuredClone(values));
    },
    async remove(keys) {
      for (const key of [keys].flat()) delete data[key];
    },
  };
}

/** A fetch that answers from `respond(url, init)` → {status, body, headers} and records calls. */
export function fakeFetch(respond) {
  const calls = [];
  const fetchImpl = async (url, init) => {
    calls.push({ url: new URL(url), init });
    const { status = 200, body = {}, headers = {}, raw } = await respond(new URL(url), init);
    const text = raw ?? JSON.stringify(body);
    return new Response(status === 204 ? null : text, { status, headers: { 'Content-Type': 'application/json', ...headers } });
  };
  return { fetchImpl, calls };
}

export const EXTENSION_ID = 'gemklbolcljbkdoodipaiednkjlmeckh';

export const senders = {
  contentScript: (url = 'https://app.cartoncloud.com/demo-warehouse/SaleOrders/view/787061') => ({
    id: EXTENSION_ID,
    url,
    origin: new URL(url).origin,
    frameId: 0,
    tab: { id: 7, index: 2, url },
  }),
  extensionPage: (path = 'src/popup/popup.html') => ({
    id: EXTENSION_ID,
    url: `chrome-extension://${EXTENSION_ID}/${path}`,
    origin: `chrome-extension://${EXTENSION_ID}`,
  }),
};
