import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

/**
 * Builds the desktop app, one section per process:
 * - main: the Electron main process (main/app/main.ts → out/main/main.js) and the engine worker
 *   it starts (main/engine/engine.worker.ts → out/main/engine.worker.js), ESM like the package;
 *   npm dependencies stay imports from node_modules.
 * - preload: main/app/preload/index.ts → out/preload/index.cjs. A sandboxed preload cannot load
 *   ES modules or node_modules, so it is one self-contained CommonJS file (zod bundled in).
 * - renderer: the React app (renderer/index.html → out/renderer), with relative asset URLs so
 *   that it loads over file:// in the app and from any path in browser mode.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      sourcemap: true,
      rolldownOptions: {
        input: {
          main: resolve('main/app/main.ts'),
          'engine.worker': resolve('main/engine/engine.worker.ts'),
        },
        output: { entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      sourcemap: true,
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('main/app/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      sourcemap: true,
      rolldownOptions: { input: resolve('renderer/index.html') },
    },
  },
});
