// Embeds token ids with the converted sentence encoder under onnxruntime-node (Debian's PyTorch
// uses the reference BLAS and is ~100x slower for this), for `diffguard_train.semantic train`.
//   node training/scripts/embed-ids.mjs ENCODER.onnx IDS.json OUT.f32 [threads] [batch]
// batch 1 for the int8 encoder: its activation scale is one per run, so batching would mix texts.
// IDS.json: [[id, ...], ...]; OUT.f32: float32-le, one 512-d row per input row, in input order.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');
const [modelPath, idsPath, outPath, threads = '2', batch = '32'] = process.argv.slice(2);
if (!outPath) {
  console.error('usage: node training/scripts/embed-ids.mjs ENCODER.onnx IDS.json OUT.f32 [threads] [batch]');
  process.exit(2);
}
const ids = JSON.parse(fs.readFileSync(idsPath, 'utf8'));
const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: Number(threads), graphOptimizationLevel: 'all' });
// length-sorted batches keep padding small
const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length);
const E = new Float32Array(ids.length * 512);
const t0 = Date.now();
const B = Number(batch);
for (let s = 0; s < order.length; s += B) {
  const idx = order.slice(s, s + B);
  const T = Math.max(...idx.map((i) => ids[i].length));
  const X = new BigInt64Array(idx.length * T);
  const M = new Float32Array(idx.length * T);
  idx.forEach((i, j) => ids[i].forEach((v, t) => { X[j * T + t] = BigInt(v); M[j * T + t] = 1; }));
  const r = await session.run({
    input_ids: new ort.Tensor('int64', X, [idx.length, T]),
    attention_mask: new ort.Tensor('float32', M, [idx.length, T]),
  });
  const e = r.embedding.data;
  idx.forEach((i, j) => E.set(e.subarray(j * 512, (j + 1) * 512), i * 512));
  if ((s / B) % 200 === 0) console.log(`  ${s}/${ids.length} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}
fs.writeFileSync(outPath, Buffer.from(E.buffer));
console.log(`embedded ${ids.length} rows in ${((Date.now() - t0) / 1000).toFixed(0)} s -> ${outPath}`);
