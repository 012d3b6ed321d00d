import { describe, expect, it } from 'vitest';
import { DEFAULTS, getSettings, hostPermissionFor, saveSettings, validateSettings } from '../../extension/src/shared/settings.js';
import { fakeStorageArea } from './fakes.js';

const TOKEN = 'lb_3c2f9a8e7d6b5a4f3e2d1c0b';
const valid = { backendUrl: 'https://labels.example.com', token: TOKEN, autoPrint: true };

describe('validateSettings', () => {
  it.each([
    ['https://labels.example.com/', 'https://labels.example.com'],
    ['  https://labels.example.com:8443/labelbridge/  ', 'https://labels.example.com:8443/labelbridge'],
    ['http://127.0.0.1:5000', 'http://127.0.0.1:5000'],
    ['http://localhost:5000/', 'http://localhost:5000'],
  ])('accepts and normalises the backend address %s', (backendUrl, expected) => {
    expect(validateSettings({ ...valid, backendUrl })).toEqual({ ok: true, settings: { ...valid, backendUrl: expected } });
  });

  it.each([
    ['', /Enter the address/],
    ['labels.example.com', /not a web address/],
    ['http://labels.example.com', /Use https/],
    ['ftp://labels.example.com', /Use https/],
    ['https://user:secret@labels.example.com', /user name and password/],
    ['https://labels.example.com/?x=1', /after \? or #/],
    ['https://labels.example.com/api/v1', /without \/api\/v1/],
  ])('refuses the backend address %j with a message', (backendUrl, message) => {
    const result = validateSettings({ ...valid, backendUrl });
    expect(result.ok).toBe(false);
    expect(result.errors.backendUrl).toMatch(message);
    expect(result.errors.token).toBeUndefined();
  });

  it.each([
    ['', /Enter the token/],
    ['short', /does not look like/],
    ['has a space inside', /does not look like/],
    ['tökén-with-non-ascii', /does not look like/],
  ])('refuses the token %j with a message', (token, message) => {
    const result = validateSettings({ ...valid, token });
    expect(result.ok).toBe(false);
    expect(result.errors.token).toMatch(message);
  });

  it('trims the token', () => {
    expect(validateSettings({ ...valid, token: `  ${TOKEN}\n` }).settings.token).toBe(TOKEN);
  });

  it('reports every bad field at once', () => {
    const result = validateSettings({ backendUrl: '', token: '', autoPrint: 'yes' });
    expect(Object.keys(result.errors).sort()).toEqual(['autoPrint', 'backendUrl', 'token']);
  });
});

describe('storage helpers', () => {
  it('reads DEFAULTS for anything never saved', async () => {
    expect(await getSettings(fakeStorageArea())).toEqual(DEFAULTS);
  });

  it('reads back what was saved, defaults filling the rest', async () => {
    const storage = fakeStorageArea();
    await saveSettings({ backendUrl: 'https://labels.example.com', token: TOKEN }, storage);
    expect(await getSettings(storage)).toEqual({ ...DEFAULTS, backendUrl: 'https://labels.example.com', token: TOKEN });
  });
});

it.each([
  ['https://labels.example.com:8443/lb', 'https://labels.example.com/*'],
  ['http://127.0.0.1:5000', 'http://127.0.0.1/*'],
])('hostPermissionFor(%s) is %s', (url, pattern) => {
  expect(hostPermissionFor(url)).toBe(pattern);
});
