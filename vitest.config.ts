import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test projects: `unit` (fast, hand-made fixtures; test/packaging checks electron-builder.yml) and
 * `integration` (real samples from ../shared/samples through ingest → store → CLI, and packing the
 * Linux app with a stand-in Electron; needs `npm run build:app` and `build:cli`), both under plain
 * Node; `renderer` (the UI's
 * stores, transports and components) under jsdom; `e2e` (Chromium driving `dropscope serve` through
 * playwright-core; needs `npm run build` first, which `npm run test:e2e` does).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: [
            'test/shared/**/*.test.ts',
            'test/main/**/*.test.ts',
            'test/packaging/**/*.test.ts',
          ],
          exclude: [...configDefaults.exclude, '**/*.integration.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: [
            'test/integration/**/*.integration.test.ts',
            'test/packaging/**/*.integration.test.ts',
          ],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.e2e.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One browser and one server per file; files run one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
