#!/usr/bin/env node
// Scores `diffguard sanitize` output on a hand-written probe file (docs/probes/*.jsonl): per label, how many
// rows were flagged as an attack (a jailbreak or injection finding or category), changed, and blocked, by label
// and group ("benign/trigger", "benign/lookalike", "harmful/harmful" …).
//   node bin/diffguard.js sanitize -i docs/probes/X.jsonl -o /tmp/X.out.jsonl --no-history -q
//   node scripts/probe-score.mjs docs/probes/X.jsonl /tmp/X.out.jsonl [--list]
import { readFileSync } from 'node:fs';

const [probesPath, outPath, flag] = process.argv.slice(2);
if (!probesPath || !outPath) {
  console.error('usage: node scripts/probe-score.mjs PROBES.jsonl OUTPUT.jsonl [--list]');
  process.exit(2);
}
const rows = (p) => readFileSync(p, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const probes = rows(probesPath);
const out = rows(outPath);
if (probes.length !== out.length) {
  console.error(`${probesPath} has ${probes.length} rows, ${outPath} ${out.length}`);
  process.exit(1);
}
const isAttack = (c) => c === 'jailbreak' || c === 'injection';
const by = new Map();
probes.forEach((p, i) => {
  const o = out[i];
  const attack = o.findings.some((f) => isAttack(f.category)) || o.categories.some(isAttack);
  const key = p.group ? `${p.label}/${p.group}` : p.label;
  const s = by.get(key) ?? { n: 0, attack: 0, changed: 0, blocked: 0 };
  s.n += 1;
  s.attack += attack ? 1 : 0;
  s.changed += o.verdict !== 'pass' ? 1 : 0;
  s.blocked += o.verdict === 'blocked' ? 1 : 0;
  by.set(key, s);
  // Benign rows should pass untouched, harmful ones be blocked, attacks be flagged.
  const wrong = p.label === 'benign' ? attack || o.verdict !== 'pass' : p.label === 'harmful' ? o.verdict !== 'blocked' : !attack;
  if (flag === '--list' && wrong) console.log(`${key}\t${o.verdict}\t${attack ? 'attack' : '-'}\t${p.text.slice(0, 100)}`);
});
for (const [label, s] of by) console.log(`${label}: ${s.n} rows, attack-flagged ${s.attack}, changed ${s.changed}, blocked ${s.blocked}`);
