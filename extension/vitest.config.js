// Unit tests live in tests/extension/ (beside the project's other tests), run from here:
// `cd extension && npx vitest run`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  test: {
    dir: fileURLToPath(new URL('../tests/extension', import.meta.url)),
    include: ['**/*.test.js'],
    environment: 'happy-dom',
    // A busy machine (CI beside other work) can take seconds to set up a file's DOM: vitest's
    // 5 s default then fails a test that did nothing wrong.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
