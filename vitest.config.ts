import { defineConfig } from 'vitest/config';

/**
 * Test projects: `unit` (fast, hand-made fixtures) and `integration` (real samples from
 * ../shared/samples through ingest → store → CLI). Both run under plain Node.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/shared/**/*.test.ts', 'test/main/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: ['test/integration/**/*.integration.test.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
