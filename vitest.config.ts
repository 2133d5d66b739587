import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const coreSrc = fileURLToPath(new URL('./packages/core/src/', import.meta.url));

export default defineConfig({
  resolve: {
    // In-process tests run against the TypeScript sources; subprocess tests run the built bins.
    alias: [
      { find: /^@dime\/core$/, replacement: `${coreSrc}index.ts` },
      { find: /^@dime\/core\/(.+)$/, replacement: `${coreSrc}$1/index.ts` },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
