/** manifest.json against the code it configures, and the fixed key against EXTENSION_ID. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { CARTONCLOUD_ORIGINS } from '../../extension/src/shared/sale-order-url.js';
import { SANDBOX_PAGES } from '../../extension/src/background/sandbox-pages.js';
import { COMMAND_PRINT_LABEL } from '../../extension/src/shared/messages.js';

const EXTENSION = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'extension');
const manifest = JSON.parse(readFileSync(join(EXTENSION, 'manifest.json'), 'utf8'));
const cartonCloudPatterns = CARTONCLOUD_ORIGINS.map((origin) => `${origin}/*`);

it('asks only for storage and scripting, and for no host up front', () => {
  expect(manifest.permissions).toEqual(['storage', 'scripting']);
  expect(manifest.host_permissions).toBeUndefined();
  expect(JSON.stringify(manifest)).not.toContain('<all_urls>');
});

it('runs the content script on the CartonCloud hosts the URL parser knows', () => {
  expect(manifest.content_scripts).toEqual([{ matches: cartonCloudPatterns, js: ['src/content/loader.js'], run_at: 'document_idle' }]);
});

it('makes the sandbox hosts optional, matching the dynamic registration', () => {
  expect(manifest.optional_host_permissions).toEqual(['https://*/*', ...Object.keys(SANDBOX_PAGES)]);
  expect(manifest.web_accessible_resources[0].matches).toEqual([...cartonCloudPatterns, ...Object.keys(SANDBOX_PAGES)]);
});

/** Every module the content loader imports, directly or through others: what pages must be able to load. */
function contentModules(entry = 'src/content/main.js', seen = new Set()) {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const source = readFileSync(join(EXTENSION, entry), 'utf8');
  for (const [, relative] of source.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
    contentModules(join(dirname(entry), relative).split('\\').join('/'), seen);
  }
  return seen;
}

it('exposes to web pages only the modules the content loader imports, nothing of the worker, popup or settings', () => {
  const exposed = manifest.web_accessible_resources.flatMap((entry) => entry.resources);
  expect(exposed.some((resource) => resource.includes('*'))).toBe(false);
  expect([...exposed].sort()).toEqual([...contentModules()].sort());
  expect(readFileSync(join(EXTENSION, 'src/content/loader.js'), 'utf8')).toContain("chrome.runtime.getURL('src/content/main.js')");
});

it('runs the service worker as an ES module and binds the shortcut the worker listens for', () => {
  expect(manifest.background).toEqual({ service_worker: 'src/background/worker.js', type: 'module' });
  expect(Object.keys(manifest.commands)).toEqual([COMMAND_PRINT_LABEL]);
});

it('has a fixed key whose extension id is the one in EXTENSION_ID', () => {
  const digest = createHash('sha256').update(Buffer.from(manifest.key, 'base64')).digest('hex').slice(0, 32);
  const id = [...digest].map((hex) => String.fromCharCode(97 + parseInt(hex, 16))).join('');
  expect(readFileSync(join(EXTENSION, 'EXTENSION_ID'), 'utf8').trim()).toBe(id);
});

it('declares the managed settings schema the organisation’s policy is checked against', () => {
  expect(manifest.storage).toEqual({ managed_schema: 'managed_schema.json' });
  const schema = JSON.parse(readFileSync(join(EXTENSION, manifest.storage.managed_schema), 'utf8'));
  expect(schema.type).toBe('object');
  expect(Object.fromEntries(Object.entries(schema.properties).map(([name, property]) => [name, property.type]))).toEqual({
    backendUrl: 'string',
    enrollmentCode: 'string',
    autoPrint: 'boolean',
  });
});
