import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

/**
 * Builds the `dropscope` CLI (with its engine worker, and the bench) for plain Node: one ESM file
 * per entry in out/cli/, with npm dependencies left as imports (they are in node_modules) and a
 * shebang on the CLI.
 */
export default defineConfig({
  build: {
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    ssr: true,
    rollupOptions: {
      // engine.worker.js sits beside dropscope.js: `dropscope serve` starts it as a worker thread.
      input: {
        dropscope: 'main/cli.ts',
        'engine.worker': 'main/engine/engine.worker.ts',
        bench: 'test/bench/bench.ts',
      },
      external: [
        ...builtinModules,
        ...builtinModules.map((m) => `node:${m}`),
        'fzstd',
        'xz-decompress',
        'zod',
        'ws',
      ],
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        banner: (chunk) => (chunk.name === 'dropscope' ? '#!/usr/bin/env node' : ''),
      },
    },
  },
});
