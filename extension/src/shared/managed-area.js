/**
 * Where the organisation's policy is read from: chrome.storage.managed, which Chrome fills from
 * policy (ExtensionSettings / 3rdparty) as manifest.json's storage.managed_schema describes, and
 * which the extension can only read. One module, so the end-to-end tests can stand in for a
 * policy file they may not write (tests/e2e/conftest.py says how).
 */
export const MANAGED_AREA_NAME = 'managed';

export function managedArea() {
  return globalThis.chrome?.storage?.managed ?? null;
}
