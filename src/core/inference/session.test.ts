import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { padBatch } from './batch';
import { ModelError } from './errors';
import { checkSessionMatchesManifest, openModel } from './model';
import type { ModelSession } from './session';
import { createSession, preferredProvider } from './session';
import { TINY_MODEL_DIR, copyModelDir, editManifest, rehashModel } from './test-helpers';

const TINY_ONNX = join(TINY_MODEL_DIR, 'model.onnx');

/** "Hi" as [CLS] H i [SEP]. */
const HI = [1, 72 + 4, 105 + 4, 2];

async function rejection(p: Promise<unknown>): Promise<ModelError> {
  const e = await p.then(
    () => new Error('expected a rejection'),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ModelError);
  return e as ModelError;
}

describe('preferredProvider', () => {
  it('picks the accelerator of each platform for auto, and honours an explicit choice', () => {
    expect(preferredProvider('auto', 'linux')).toBe('cuda');
    expect(preferredProvider('auto', 'win32')).toBe('dml');
    expect(preferredProvider('auto', 'darwin')).toBe('coreml');
    expect(preferredProvider('auto', 'freebsd')).toBe('cpu');
    expect(preferredProvider('cpu', 'linux')).toBe('cpu');
    expect(preferredProvider('dml', 'darwin')).toBe('dml');
  });
});

describe('createSession', () => {
  const open: ModelSession[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.dispose()));
  });
  const track = (s: ModelSession): ModelSession => (open.push(s), s);

  it('opens the tiny model on CPU and runs a padded batch', async () => {
    const s = track(await createSession(TINY_ONNX, { provider: 'cpu', intraOpNumThreads: 1 }));
    expect(s.provider).toBe('cpu');
    expect(s.fallbackReason).toBeUndefined();
    expect([...s.inputNames].sort()).toEqual(['attention_mask', 'input_ids']);
    expect([...s.outputNames].sort()).toEqual(['category_logits', 'embedding', 'span_logits']);
    const b = padBatch([HI, [1, 2]], 0);
    const out = await s.run({ input_ids: b.inputIds, attention_mask: b.attentionMask });
    expect(out.span_logits.dims).toEqual([2, 4, 6]);
    expect(out.category_logits.dims).toEqual([2, 17]);
    expect(out.embedding.dims).toEqual([2, 384]);
    const emb = out.embedding.data as Float32Array;
    const norm = Math.hypot(...emb.subarray(0, 384));
    expect(norm).toBeCloseTo(1, 4);
  });

  it('falls back to CPU and records why when DirectML is asked for on Linux', async () => {
    const s = track(await createSession(TINY_ONNX, { provider: 'dml' }));
    expect(s.requestedProvider).toBe('dml');
    expect(s.provider).toBe('cpu');
    expect(s.fallbackReason).toMatch(/^dml unavailable: .+/);
    expect(s.fallbackReason!.length).toBeLessThanOrEqual(220);
  });

  it('on auto uses the platform accelerator or falls back to CPU with a reason', async () => {
    const s = track(await createSession(TINY_ONNX, { provider: 'auto' }));
    expect(s.requestedProvider).toBe(preferredProvider('auto'));
    if (s.provider === 'cpu' && s.requestedProvider !== 'cpu') {
      expect(s.fallbackReason).toContain(`${s.requestedProvider} unavailable`);
    } else {
      expect(s.provider).toBe(s.requestedProvider);
      expect(s.fallbackReason).toBeUndefined();
    }
  });

  it('tries CoreML for auto on macOS (unavailable here, so CPU with a reason)', async () => {
    const s = track(await createSession(TINY_ONNX, { provider: 'auto', platform: 'darwin' }));
    expect(s.requestedProvider).toBe('coreml');
    expect(s.provider).toBe('cpu');
    expect(s.fallbackReason).toMatch(/^coreml unavailable/);
  });

  it('names the file when the model path does not exist', async () => {
    const missing = join(TINY_MODEL_DIR, 'nope.onnx');
    const err = await rejection(createSession(missing, { provider: 'cpu' }));
    expect(err.code).toBe('MODEL_MISSING');
    expect(err.message).toContain(missing);
  });

  it('reports MODEL_CORRUPT when ONNX Runtime cannot parse the bytes', async () => {
    const err = await rejection(createSession(new TextEncoder().encode('not an onnx model'), { provider: 'cpu' }));
    expect(err.code).toBe('MODEL_CORRUPT');
  });

  it('rejects run() after dispose()', async () => {
    const s = await createSession(TINY_ONNX, { provider: 'cpu' });
    await s.dispose();
    await s.dispose();
    const b = padBatch([HI], 0);
    await expect(s.run({ input_ids: b.inputIds, attention_mask: b.attentionMask })).rejects.toThrow(/disposed/);
  });
});

describe('openModel', () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => cleanup?.());
  const scratch = (): string => {
    const c = copyModelDir();
    cleanup = c.cleanup;
    return c.dir;
  };

  it('opens the tiny model folder with a session matching its manifest', async () => {
    const m = await openModel(TINY_MODEL_DIR, { provider: 'cpu' });
    try {
      expect(m.manifest.name).toBe('analyzer-tiny');
      expect(() => checkSessionMatchesManifest(m.session, m.manifest, m.modelPath)).not.toThrow();
    } finally {
      await m.session.dispose();
    }
  });

  it('reports MODEL_CORRUPT, naming model.onnx, when the bytes match the manifest but ORT cannot load them', async () => {
    const dir = scratch();
    const path = join(dir, 'model.onnx');
    const bytes = readFileSync(path);
    // Damage the protobuf itself, then re-record the hash so only ORT can notice.
    bytes.fill(0xff, 0, 64);
    writeFileSync(path, bytes);
    rehashModel(dir);
    const err = await rejection(openModel(dir, { provider: 'cpu' }));
    expect(err.code).toBe('MODEL_CORRUPT');
    expect(err.message).toContain(path);
  });

  it('reports MODEL_MISMATCH when the graph lacks an output the manifest lists', async () => {
    const dir = scratch();
    editManifest(dir, (m) => {
      m.outputs.push({ name: 'attention_weights', dtype: 'float32' });
    });
    const err = await rejection(openModel(dir, { provider: 'cpu' }));
    expect(err.code).toBe('MODEL_MISMATCH');
    expect(err.message).toContain('attention_weights');
  });

  it('reports MODEL_MISMATCH when the manifest has a different span label set than the graph', async () => {
    const dir = scratch();
    editManifest(dir, (m) => {
      m.span_labels = m.span_labels.filter((l) => l !== 'other_pii');
    });
    const err = await rejection(openModel(dir, { provider: 'cpu' }));
    expect(err.code).toBe('MODEL_MISMATCH');
    expect(err.message).toContain('span_logits last dimension 6 ≠ manifest 5');
  });

  it('reports MODEL_MISMATCH when the embedding width differs', async () => {
    const dir = scratch();
    editManifest(dir, (m) => {
      const e = m.outputs.find((o) => o.name === 'embedding');
      if (e) e.dim = 256;
    });
    const err = await rejection(openModel(dir, { provider: 'cpu' }));
    expect(err.message).toContain('embedding last dimension 384 ≠ manifest 256');
  });
});
