// Content scripts cannot be ES modules, so this classic script imports the module graph
// (listed in manifest.json's web_accessible_resources for the pages it runs on).
(async () => {
  const { start } = await import(chrome.runtime.getURL('src/content/main.js'));
  start();
})().catch((error) => console.error('labelbridge: the content script did not start', error));
