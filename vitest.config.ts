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
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/test/**/*.test.ts'] },
      },
      {
        // Whole worlds (BIND on shared loopback addresses, the lab, load tests): one file at a
        // time, after the unit tests, so they neither collide nor starve each other of the 2 cores.
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
