/** The last few labels printed from this browser, for the popup. */

const KEY = 'recentPrints';
export const RECENT_PRINTS_KEPT = 5;

export async function getRecentPrints(storage = chrome.storage.local) {
  const stored = await storage.get({ [KEY]: [] });
  return stored[KEY];
}

export async function addRecentPrint(entry, storage = chrome.storage.local) {
  const prints = await getRecentPrints(storage);
  await storage.set({ [KEY]: [entry, ...prints].slice(0, RECENT_PRINTS_KEPT) });
}
