import { describe, expect, it, vi } from 'vitest';
import { SANDBOX_SCRIPT_ID, syncSandboxContentScript } from '../../extension/src/background/sandbox-pages.js';

function fakes(granted, registered = []) {
  const scripts = new Map(registered.map((script) => [script.id, script]));
  const scripting = {
    getRegisteredContentScripts: vi.fn(async ({ ids }) => ids.filter((id) => scripts.has(id)).map((id) => scripts.get(id))),
    registerContentScripts: vi.fn(async (list) => list.forEach((script) => scripts.set(script.id, script))),
    updateContentScripts: vi.fn(async (list) => list.forEach((script) => scripts.set(script.id, { ...scripts.get(script.id), ...script }))),
    unregisterContentScripts: vi.fn(async ({ ids }) => ids.forEach((id) => scripts.delete(id))),
  };
  const permissions = { contains: vi.fn(async ({ origins: [origin] }) => granted.includes(origin)) };
  return { scripting, permissions, scripts };
}

describe('syncSandboxContentScript', () => {
  it('registers nothing while no loopback host is granted (the shipped default)', async () => {
    const { scripting, permissions, scripts } = fakes([]);
    await syncSandboxContentScript({ scripting, permissions });
    expect(scripts.size).toBe(0);
  });

  it('runs the content script on /app pages of the granted loopback host only', async () => {
    const { scripting, permissions, scripts } = fakes(['http://127.0.0.1/*']);
    await syncSandboxContentScript({ scripting, permissions });
    expect(scripts.get(SANDBOX_SCRIPT_ID)).toMatchObject({ matches: ['http://127.0.0.1/app/*'], js: ['src/content/loader.js'] });
  });

  it('follows a grant and a removal, and is idempotent', async () => {
    const { scripting, permissions, scripts } = fakes(['http://127.0.0.1/*', 'http://localhost/*']);
    await syncSandboxContentScript({ scripting, permissions });
    await syncSandboxContentScript({ scripting, permissions });
    expect(scripting.registerContentScripts).toHaveBeenCalledTimes(1);
    expect(scripts.get(SANDBOX_SCRIPT_ID).matches).toEqual(['http://127.0.0.1/app/*', 'http://localhost/app/*']);
    permissions.contains.mockResolvedValue(false);
    await syncSandboxContentScript({ scripting, permissions });
    expect(scripts.size).toBe(0);
  });
});
