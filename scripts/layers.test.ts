/**
 * The layer rules of ARCHITECTURE.md are lint rules (eslint.config.mjs). This test lints small
 * synthetic files placed in each layer and checks that forbidden imports are reported and allowed
 * ones are not, so a change to the config that silently drops a rule fails here.
 */
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: resolve(__dirname, '..') });

async function restricted(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: resolve(__dirname, '..', file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it.each([
    ['src/core/engine/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['src/core/engine/x.ts', "import { a } from '../../main/index';\nexport const b = a;\n"],
    ['src/core/engine/x.ts', "import * as ort from 'onnxruntime-node';\nexport const b = ort;\n"],
    ['src/renderer/src/x.ts', "import { a } from '../../core/index';\nexport const b = a;\n"],
    ['src/renderer/src/x.ts', "import { readFileSync } from 'node:fs';\nexport const b = readFileSync;\n"],
    ['src/shared/x.ts', "import { a } from '../core/index';\nexport const b = a;\n"],
    ['src/preload/x.ts', "import { a } from '../core/index';\nexport const b = a;\n"],
    ['src/cli/x.ts', "import { a } from '../main/index';\nexport const b = a;\n"],
    ['src/server/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
  ])('%s may not import: %s', async (file, source) => {
    expect(await restricted(file, source)).not.toEqual([]);
  });

  it.each([
    ['src/core/inference/x.ts', "import * as ort from 'onnxruntime-node';\nexport const b = ort;\n"],
    ['src/core/engine/x.ts', "import type { Finding } from '../../shared/result';\nexport type F = Finding;\n"],
    ['src/main/x.ts', "import { app } from 'electron';\nimport { a } from '../core/index';\nexport const b = [app, a];\n"],
    ['src/renderer/src/x.ts', "import type { Finding } from '../../shared/result';\nexport type F = Finding;\n"],
  ])('%s may import: %s', async (file, source) => {
    expect(await restricted(file, source)).toEqual([]);
  });
});
