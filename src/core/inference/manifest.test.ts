import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from './errors';
import { loadModelManifest } from './manifest';
import { TINY_MODEL_DIR, copyModelDir, editManifest } from './test-helpers';

function expectModelError(fn: () => unknown, code: ModelError['code']): ModelError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelError);
    expect((e as ModelError).code).toBe(code);
    return e as ModelError;
  }
  throw new Error(`expected ModelError ${code}, nothing was thrown`);
}

describe('loadModelManifest', () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => cleanup?.());
  const scratch = (): string => {
    const c = copyModelDir();
    cleanup = c.cleanup;
    return c.dir;
  };

  it('reads and verifies the tiny model folder', () => {
    const loaded = loadModelManifest(TINY_MODEL_DIR);
    expect(loaded.manifest.format).toBe('diffguard-analyzer/1');
    expect(loaded.manifest.span_labels).toContain('person_name');
    expect(loaded.manifest.categories).toContain('harmful:cyber_attack');
    expect(loaded.modelPath).toBe(join(TINY_MODEL_DIR, 'model.onnx'));
    expect(loaded.modelBytes.length).toBe(loaded.manifest.files['model.onnx'].bytes);
  });

  it('names the manifest path when the folder has no manifest', () => {
    const dir = join(scratch(), 'no-such-version');
    const err = expectModelError(() => loadModelManifest(dir), 'MODEL_MISSING');
    expect(err.message).toContain(join(dir, 'manifest.json'));
    expect(err.path).toBe(join(dir, 'manifest.json'));
  });

  it('names model.onnx when the weights file is missing', () => {
    const dir = scratch();
    rmSync(join(dir, 'model.onnx'));
    const err = expectModelError(() => loadModelManifest(dir), 'MODEL_MISSING');
    expect(err.message).toContain(join(dir, 'model.onnx'));
  });

  it('reports MODEL_CORRUPT when one byte of model.onnx changed', () => {
    const dir = scratch();
    const path = join(dir, 'model.onnx');
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1] ^= 0x01;
    writeFileSync(path, bytes);
    const err = expectModelError(() => loadModelManifest(dir), 'MODEL_CORRUPT');
    expect(err.message).toMatch(/sha256/);
    expect(err.path).toBe(path);
  });

  it('reports MODEL_CORRUPT for a truncated model.onnx', () => {
    const dir = scratch();
    const path = join(dir, 'model.onnx');
    writeFileSync(path, readFileSync(path).subarray(0, 1000));
    const err = expectModelError(() => loadModelManifest(dir), 'MODEL_CORRUPT');
    expect(err.message).toContain('1000 bytes');
  });

  it('reports MODEL_CORRUPT for a manifest that is not JSON', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'manifest.json'), '{"format": "diffguard-analyzer/1", ');
    expectModelError(() => loadModelManifest(dir), 'MODEL_CORRUPT');
  });

  it('names the field when the manifest breaks the schema', () => {
    const dir = scratch();
    editManifest(dir, (m) => {
      Reflect.deleteProperty(m, 'tokenizer');
    });
    const err = expectModelError(() => loadModelManifest(dir), 'MODEL_CORRUPT');
    expect(err.message).toContain('tokenizer');
  });

  it('rejects a manifest of another format', () => {
    const dir = scratch();
    editManifest(dir, (m) => {
      Object.assign(m, { format: 'diffguard-analyzer/2' });
    });
    const err = expectModelError(() => loadModelManifest(dir), 'MODEL_CORRUPT');
    expect(err.message).toContain('format');
  });

  it('reports MODEL_MISMATCH when a category has no temperature', () => {
    const dir = scratch();
    editManifest(dir, (m) => {
      m.calibration.category_temperature.pop();
    });
    const err = expectModelError(() => loadModelManifest(dir), 'MODEL_MISMATCH');
    expect(err.message).toMatch(/16 category temperatures for 17 categories/);
  });

  it('reports MODEL_MISMATCH when a preset lacks a span threshold', () => {
    const dir = scratch();
    editManifest(dir, (m) => {
      delete m.thresholds.permissive.spans.date_of_birth;
    });
    const err = expectModelError(() => loadModelManifest(dir), 'MODEL_MISMATCH');
    expect(err.message).toContain('thresholds.permissive.spans lacks date_of_birth');
  });

  it('reports MODEL_MISMATCH when a required output is not declared', () => {
    const dir = scratch();
    editManifest(dir, (m) => {
      m.outputs = m.outputs.filter((o) => o.name !== 'embedding');
    });
    const err = expectModelError(() => loadModelManifest(dir), 'MODEL_MISMATCH');
    expect(err.message).toContain('output embedding missing');
  });
});
