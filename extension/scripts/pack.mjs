/**
 * `npm run pack`: the extension as one file, dist/labelbridge-<version>.zip, for the Chrome Web
 * Store or for self-hosting (Chrome packs the same files into a signed .crx). Only what the
 * browser loads goes in: manifest.json, managed_schema.json, icons/ and src/ without source maps
 * or test files; never node_modules, tests, scripts or the lint and test configuration.
 *
 *   node scripts/pack.mjs [--out DIR] [--without-key]
 *
 * --out writes somewhere other than dist/ (the tests write to a temporary folder). --without-key
 * drops the manifest's `key` (the Chrome Web Store refuses an upload carrying one; the store gives
 * the extension its own id). The archive is the same bytes for the same files: entries sorted,
 * timestamps fixed.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';

const EXTENSION = join(dirname(fileURLToPath(import.meta.url)), '..');
const INCLUDED = ['manifest.json', 'managed_schema.json', 'icons', 'src'];
const EXCLUDED = [/\.map$/, /\.test\.[cm]?js$/, /\.spec\.[cm]?js$/, /(^|\/)\./];
// 1980-01-01 00:00, the earliest time a zip can hold: the same files make the same archive.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** manifest.json's version, which must be package.json's: one number names a release. */
export function releaseVersion(extension = EXTENSION) {
  const manifest = JSON.parse(readFileSync(join(extension, 'manifest.json'), 'utf8'));
  const pkg = JSON.parse(readFileSync(join(extension, 'package.json'), 'utf8'));
  if (manifest.version !== pkg.version) {
    throw new Error(`manifest.json says version ${manifest.version} but package.json says ${pkg.version}: make them the same.`);
  }
  return manifest.version;
}

function walk(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => walk(join(path, name)));
}

/** The archive's entries: [name, bytes], sorted by name. */
export function packedFiles({ extension = EXTENSION, withoutKey = false } = {}) {
  const names = INCLUDED.flatMap((item) => walk(join(extension, item)))
    .map((path) => relative(extension, path).split(sep).join('/'))
    .filter((name) => !EXCLUDED.some((pattern) => pattern.test(name)))
    .sort();
  return names.map((name) => {
    let bytes = readFileSync(join(extension, name));
    if (name === 'manifest.json' && withoutKey) {
      const manifest = JSON.parse(bytes.toString('utf8'));
      delete manifest.key;
      bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    }
    return [name, bytes];
  });
}

/** A zip archive (deflate) of [name, bytes] entries. */
export function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, bytes] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(bytes, { level: 9 });
    const checksum = crc32(bytes);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(bytes.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4); // made by: Unix, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(checksum, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(bytes.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Writes the archive; returns its path. */
export function pack({ extension = EXTENSION, out = join(extension, 'dist'), withoutKey = false } = {}) {
  const version = releaseVersion(extension);
  mkdirSync(out, { recursive: true });
  const path = join(out, `labelbridge-${version}${withoutKey ? '-store' : ''}.zip`);
  writeFileSync(path, zip(packedFiles({ extension, withoutKey })));
  return path;
}

function parseArguments(argv) {
  const options = {};
  for (let index = 0; index < argv.length; index += 1) {
    if (argv[index] === '--out') options.out = argv[(index += 1)];
    else if (argv[index] === '--without-key') options.withoutKey = true;
    else throw new Error(`Unknown option ${argv[index]}: use --out DIR and/or --without-key.`);
  }
  return options;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    console.log(pack(parseArguments(process.argv.slice(2))));
  } catch (error) {
    console.error(`pack: ${error.message}`);
    process.exit(1);
  }
}
