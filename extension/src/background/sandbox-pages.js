/**
 * The content script on the sandbox's look-alike pages (http://127.0.0.1 and http://localhost,
 * any port, under /app/). Those hosts are optional permissions, so the shipped extension asks
 * for nothing on loopback; once the user grants one (the popup asks when the backend address
 * is on that host), the script is registered for it here.
 */

export const SANDBOX_SCRIPT_ID = 'labelbridge-sandbox-pages';
const CONTENT_SCRIPT_FILE = 'src/content/loader.js';

/** Optional host permission → the pages of that host the content script runs on. */
export const SANDBOX_PAGES = Object.freeze({
  'http://127.0.0.1/*': 'http://127.0.0.1/app/*',
  'http://localhost/*': 'http://localhost/app/*',
});

async function grantedSandboxMatches(permissions) {
  const granted = await Promise.all(
    Object.keys(SANDBOX_PAGES).map((origin) => permissions.contains({ origins: [origin] })),
  );
  return Object.values(SANDBOX_PAGES).filter((_, index) => granted[index]);
}

/** Makes the registered script match exactly the granted sandbox hosts. Idempotent. */
export async function syncSandboxContentScript({ permissions, scripting }) {
  const matches = await grantedSandboxMatches(permissions);
  const [registered] = await scripting.getRegisteredContentScripts({ ids: [SANDBOX_SCRIPT_ID] });
  if (registered && matches.length) {
    await scripting.updateContentScripts([{ id: SANDBOX_SCRIPT_ID, matches }]);
  } else if (registered) {
    await scripting.unregisterContentScripts({ ids: [SANDBOX_SCRIPT_ID] });
  } else if (matches.length) {
    await scripting.registerContentScripts([
      { id: SANDBOX_SCRIPT_ID, matches, js: [CONTENT_SCRIPT_FILE], runAt: 'document_idle', persistAcrossSessions: true },
    ]);
  }
}
