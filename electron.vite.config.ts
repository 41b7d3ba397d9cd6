import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

/**
 * One build for every host. The "main" build is a Node build, so besides the Electron main
 * process it also emits the hosts that run under plain Node: the CLI, the local HTTP host,
 * the batch worker, and the benchmark and evaluation harnesses. None of those import electron.
 */
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/cli/index.ts'),
          serve: resolve(__dirname, 'src/server/serve.ts'),
          'batch-worker': resolve(__dirname, 'src/core/batch/batch.worker.ts'),
          bench: resolve(__dirname, 'scripts/bench.ts'),
          eval: resolve(__dirname, 'scripts/eval.ts'),
          'fit-fusion': resolve(__dirname, 'scripts/fit-fusion.ts'),
          'probe-wrap': resolve(__dirname, 'scripts/probe-wrap.ts'),
        },
      },
    },
  },
  preload: {},
  renderer: {
    plugins: [react()],
  },
});
