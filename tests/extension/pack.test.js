/** `npm run pack`: one zip of what the browser loads, named by the one release version. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseVersion } from '../../extension/scripts/pack.mjs';

const EXTENSION = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'extension');
const manifest = JSON.parse(readFileSync(join(EXTENSION, 'manifest.json'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(EXTENSION, 'package.json'), 'utf8'));

/** name → bytes, read through the central directory as any unzip does. */
function unzip(archive) {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const files = new Map();
  for (let index = 0; index < count; index += 1) {
    const method = archive.readUInt16LE(at + 10);
    const size = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataStart = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const data = archive.subarray(dataStart, dataStart + size);
    files.set(name, method === 8 ? inflateRawSync(data) : data);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

function runPack(...args) {
  const path = execFileSync(process.execPath, [join(EXTENSION, 'scripts', 'pack.mjs'), '--out', out, ...args], { encoding: 'utf8' }).trim();
  return { path, files: unzip(readFileSync(path)) };
}

let out;
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'labelbridge-pack-'));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

it('names one release: manifest.json and package.json carry the same version', () => {
  expect(manifest.version).toBe(pkg.version);
  expect(releaseVersion()).toBe(manifest.version);
});

describe('npm run pack', () => {
  it('writes labelbridge-<version>.zip holding the extension and nothing for development', () => {
    const { path, files } = runPack();
    expect(path).toBe(join(out, `labelbridge-${pkg.version}.zip`));
    const names = [...files.keys()];
    expect(names).toContain('manifest.json');
    expect(names).toContain('managed_schema.json');
    expect(names.every((name) => /^(manifest\.json|managed_schema\.json|icons\/|src\/)/.test(name))).toBe(true);
    expect(names.filter((name) => /node_modules|\.map$|\.test\.|eslint|vitest|package(-lock)?\.json|^tests\//.test(name))).toEqual([]);
    expect(files.get('src/background/worker.js').equals(readFileSync(join(EXTENSION, 'src/background/worker.js')))).toBe(true);
  });

  it('holds every file the manifest names and every module the code imports', () => {
    const { files } = runPack();
    const packed = JSON.parse(files.get('manifest.json').toString('utf8'));
    const named = [
      packed.background.service_worker,
      packed.action.default_popup,
      packed.storage.managed_schema,
      ...Object.values(packed.icons),
      ...packed.content_scripts.flatMap((script) => script.js),
    ];
    expect(named.filter((name) => !files.has(name))).toEqual([]);
    const missing = [];
    let checked = 0;
    for (const [name, bytes] of files) {
      if (!/\.(js|html)$/.test(name)) continue;
      const text = bytes.toString('utf8');
      for (const [, target] of text.matchAll(/(?:from\s+|import\(|src=)["'](\.{1,2}\/[^"']+|[\w-]+\.(?:js|css))["']/g)) {
        checked += 1;
        const resolved = posix.normalize(posix.join(posix.dirname(name), target));
        if (!files.has(resolved)) missing.push(`${name} → ${target}`);
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it('makes the same bytes twice, and a store upload without the manifest key', () => {
    const first = readFileSync(runPack().path);
    expect(readFileSync(runPack().path).equals(first)).toBe(true);
    const store = runPack('--without-key');
    expect(store.path).toBe(join(out, `labelbridge-${pkg.version}-store.zip`));
    const storeManifest = JSON.parse(store.files.get('manifest.json').toString('utf8'));
    expect(storeManifest.key).toBeUndefined();
    expect(storeManifest.version).toBe(pkg.version);
  });
});
