// Lint, including the layer rules of ARCHITECTURE.md: which folder may import which.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const HOSTS = ['main', 'preload', 'renderer', 'cli', 'server'];
const hostsOf = (self) => HOSTS.filter((h) => h !== self).map((h) => `**/${h}/**`);

/** For each layer, the import patterns it must NOT use. */
const layer = (files, forbidden, message, ignores = []) => ({
  files,
  ignores,
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: forbidden.map((group) => ({ group: [group], message })) },
    ],
  },
});

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'training/**', 'models/**', 'docs/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  // shared: pure contracts; imports no other layer and no runtime-specific module.
  layer(['src/shared/**'], ['**/core/**', '**/main/**', '**/preload/**', '**/renderer/**', '**/cli/**', '**/server/**', 'electron', 'node:*', 'better-sqlite3', 'onnxruntime-node'], 'src/shared may only import zod and itself.'),
  // core: the engine; never imports electron or a host. Only core/inference imports onnxruntime-node.
  layer(['src/core/**'], [...hostsOf('core'), 'electron', 'react', 'react-dom', 'onnxruntime-node'], 'src/core is the engine: it imports only src/shared and Node/npm libraries, never electron or a host; onnxruntime-node only in src/core/inference.', ['src/core/inference/**']),
  layer(['src/core/inference/**'], [...hostsOf('core'), 'electron', 'react', 'react-dom'], 'src/core is the engine: it never imports electron or a host.'),
  layer(['src/preload/**'], ['**/core/**', '**/main/**', '**/renderer/**', '**/cli/**', '**/server/**', 'onnxruntime-node', 'better-sqlite3'], 'The preload may only import src/shared and electron.'),
  layer(['src/renderer/**'], ['**/core/**', '**/main/**', '**/preload/**', '**/cli/**', '**/server/**', 'electron', 'node:*', 'better-sqlite3', 'onnxruntime-node'], 'The renderer talks to the engine only through lib/api.ts and the shared contract.'),
  layer(['src/cli/**'], ['**/main/**', '**/preload/**', '**/renderer/**', '**/server/**', 'electron', 'onnxruntime-node'], 'The CLI is a host: it imports src/core and src/shared only.'),
  layer(['src/server/**'], ['**/main/**', '**/preload/**', '**/renderer/**', '**/cli/**', 'electron', 'onnxruntime-node'], 'The HTTP host imports src/core and src/shared only.'),
  layer(['src/main/**'], ['**/preload/**', '**/renderer/**', '**/cli/**', 'onnxruntime-node'], 'Electron main imports src/core, src/shared and src/server only.'),
);
