// Replays a model folder's parity.json through onnxruntime-node and measures single-core latency.
// Usage: node training/scripts/ort-check.cjs models/analyzer-tiny [--latency] [--json out.json]
const ort = require('onnxruntime-node');
const fs = require('fs');
const path = require('path');

async function main() {
  const dir = process.argv[2];
  const latency = process.argv.includes('--latency');
  const ji = process.argv.indexOf('--json');
  const jsonOut = ji > 0 ? process.argv[ji + 1] : null;
  const result = { parity_max_abs_diff: 0, latency_ms: {} };
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const parity = JSON.parse(fs.readFileSync(path.join(dir, 'parity.json'), 'utf8'));
  const sess = await ort.InferenceSession.create(path.join(dir, 'model.onnx'), {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ['cpu'],
  });
  const t = (rows) => new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0].length]);
  let maxDiff = 0;
  for (const c of parity.cases) {
    const out = await sess.run({ input_ids: t(c.input_ids), attention_mask: t(c.attention_mask) });
    const cl = out.category_logits.data;
    const C = manifest.categories.length;
    c.category_logits.forEach((row, i) => row.forEach((v, j) => { maxDiff = Math.max(maxDiff, Math.abs(v - cl[i * C + j])); }));
    c.embedding_head.forEach((v, j) => { maxDiff = Math.max(maxDiff, Math.abs(v - out.embedding.data[j])); });
    let s = 0; for (const v of out.span_logits.data) s += v;
    const rel = Math.abs(s - c.span_logits_sum) / Math.max(1, Math.abs(c.span_logits_sum));
    if (rel > 1e-4) console.log(`case ${c.name}: span sum ${s} vs ${c.span_logits_sum}`);
    for (const w of c.per_window) {
      const o = await sess.run({ input_ids: t([w.input_ids]), attention_mask: t([w.input_ids.map(() => 1)]) });
      w.category_logits.forEach((v, j) => { maxDiff = Math.max(maxDiff, Math.abs(v - o.category_logits.data[j])); });
    }
  }
  console.log(`parity: ${parity.cases.length} cases, max abs diff ${maxDiff.toExponential(2)} (atol ${parity.atol})`);
  result.parity_max_abs_diff = maxDiff;
  if (latency) {
    for (const nBytes of [128, 1000, 2048]) {
      // 1 KB prompt = windows of max_len-2 bytes every `stride` bytes, run as one batch
      const { max_len: maxLen, stride } = manifest.tokenizer;
      const starts = []; for (let s = 0; ; s += stride) { starts.push(s); if (s + maxLen - 2 >= nBytes) break; }
      const rows = starts.map((s) => { const n = Math.min(maxLen - 2, nBytes - s); return [1, ...Array.from({ length: n }, (_, i) => 4 + 97 + ((s + i) % 26)), 2]; });
      const L = Math.max(...rows.map((r) => r.length));
      const ids = rows.map((r) => [...r, ...Array(L - r.length).fill(0)]);
      const mask = rows.map((r) => [...r.map(() => 1), ...Array(L - r.length).fill(0)]);
      const feeds = { input_ids: t(ids), attention_mask: t(mask) };
      for (let i = 0; i < 10; i++) await sess.run(feeds);
      const times = [];
      for (let i = 0; i < 100; i++) { const a = process.hrtime.bigint(); await sess.run(feeds); times.push(Number(process.hrtime.bigint() - a) / 1e6); }
      times.sort((a, b) => a - b);
      console.log(`latency ${nBytes} B (${rows.length} window(s)): p50 ${times[50].toFixed(2)} ms p95 ${times[95].toFixed(2)} ms`);
      result.latency_ms[`${nBytes}B`] = { windows: rows.length, p50: +times[50].toFixed(3), p95: +times[95].toFixed(3) };
    }
  }
  if (jsonOut) {
    const os = require('os');
    result.machine = `${os.cpus()[0].model}, ${os.cpus().length} cores, load avg ${os.loadavg()[0].toFixed(1)}; onnxruntime-node, intraOpNumThreads 1`;
    const l = result.latency_ms;
    result.text = `onnxruntime-node ${require('onnxruntime-node/package.json').version}, CPU, one intra-op thread (${result.machine}): ` +
      Object.entries(l).map(([k, v]) => `${k} (${v.windows} window${v.windows > 1 ? 's' : ''}) p50 ${v.p50} ms / p95 ${v.p95} ms`).join('; ') +
      '. Measured on a shared machine under load from other jobs; an idle core is faster.';
    fs.writeFileSync(jsonOut, JSON.stringify(result, null, 1));
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
