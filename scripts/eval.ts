/**
 * @file `npm run eval`: evaluates the engine as shipped (TypeScript + onnxruntime, not PyTorch) on the
 * training pipeline's validation split (held-out jailbreak families, held-out sources, held-out
 * languages; built by `npm run train:data`), and the deterministic-only engine on the same rows.
 * Reports, per behaviour and per source and language: harmful requests blocked, benign prompts
 * passed unchanged, benign look-alikes blocked, wrapped benign requests cleaned (chrF against the bare
 * request), jailbreaks and injections flagged, personal-data spans removed; plus the analyzer's
 * AUROC, recall at 1% FPR and calibration error per category, and latency. Also runs the PII/secret
 * evaluation of the deterministic detectors. Writes bench-results/eval.json.
 *
 * Usage: node out/main/eval.js [--data training/.cache/data/val.jsonl] [--limit N] [--only-full] [--dump PATH]
 */
import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { createEngineFromParts } from '../src/core/engine/engine';
import type { Analyzer, Engine } from '../src/core/engine/types';
import { loadModels } from '../src/core/host';
import { normalize } from '../src/core/normalize';
import { createMemoryVault } from '../src/core/vault';
import type { SanitizeResult } from '../src/shared/result';
import { summarize } from './bench-lib';
import { formatPiiEval, runPiiEval, writePiiEval } from './eval-pii';
import { auroc, chrF, ece, recallAtFpr } from './metrics';

type Row = {
  text: string;
  spans: Array<{ start: number; end: number; label: string }>;
  cats: string[];
  clean_text: string | null;
  pair_kind: string | null;
  lang: string;
  source: string;
  kind: string;
  val_kind: string;
};

/** What a user should get back for a validation row. */
type Expectation = 'block' | 'pass' | 'clean_request' | 'flag_attack' | 'redact_pii';

export function expectationOf(r: Row): Expectation {
  if (r.cats.some((c) => c === 'harmful' || c.startsWith('harmful:'))) return 'block';
  const attack = r.cats.includes('jailbreak') || r.cats.includes('injection');
  // Only a scaffold row's clean_text is the bare request; an obfuscated copy's clean_text is the
  // whole un-obfuscated input (scaffold included), so it is no target for chrF.
  if (attack && r.clean_text && r.pair_kind === 'scaffold') return 'clean_request';
  if (attack) return 'flag_attack';
  if (r.spans.some((s) => ['person_name', 'street_address', 'date_of_birth', 'other_pii'].includes(s.label))) return 'redact_pii';
  return 'pass';
}

const root = resolve(__dirname, '..', '..');
const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

async function readRows(path: string, limit: number): Promise<Row[]> {
  const rows: Row[] = [];
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    rows.push(JSON.parse(line) as Row);
  }
  if (rows.length <= limit) return rows;
  // Deterministic stratified subsample: every k-th row keeps the mix of kinds and sources.
  const step = rows.length / limit;
  return Array.from({ length: limit }, (_, i) => rows[Math.floor(i * step)]!);
}

type Outcome = { row: Row; expect: Expectation; result: SanitizeResult };

async function runEngine(engine: Engine, rows: Row[]): Promise<{ outcomes: Outcome[]; latency: number[] }> {
  const outcomes: Outcome[] = [];
  const latency: number[] = [];
  for (const row of rows) {
    const t0 = performance.now();
    const result = await engine.sanitize(row.text, { record: false });
    latency.push(performance.now() - t0);
    outcomes.push({ row, expect: expectationOf(row), result });
  }
  return { outcomes, latency };
}

const pct = (x: number) => Math.round(x * 1000) / 10;
const rate = (xs: boolean[]) => (xs.length ? xs.filter(Boolean).length / xs.length : NaN);

function flagged(r: SanitizeResult): boolean {
  return r.verdict !== 'pass' && (r.verdict === 'blocked' || r.categories.some((c) => c === 'jailbreak' || c === 'injection' || c.startsWith('harmful')));
}

/** chrF of what a wrapped request came back as against the bare request: the cleaned text, the input when it passed unchanged, 0 when blocked. */
function wrappedChrf(o: Outcome): number {
  if (o.result.verdict === 'cleaned') return chrF(o.result.cleaned, o.row.clean_text!);
  return o.result.verdict === 'pass' ? chrF(o.row.text, o.row.clean_text!) : 0;
}

function systemMetrics(outcomes: Outcome[]) {
  const by = (e: Expectation) => outcomes.filter((o) => o.expect === e);
  const harmful = by('block');
  const benign = by('pass');
  // The eval's own, broader definition (every "benign_hard" row, davidson_neither …), kept so that its
  // look-alike figures stay comparable across model cards; the thresholds and the fusion are fitted on
  // the narrower list in lookalike-sources.ts.
  const lookalike = benign.filter((o) => /hard|contrast|or_bench|phtest|frr|wildguard|neutral|neither/.test(o.row.source + o.row.kind));
  const wrapped = by('clean_request');
  const chrfs = wrapped.filter((o) => o.result.verdict === 'cleaned').map((o) => chrF(o.result.cleaned, o.row.clean_text!));
  const wrappedChrfAll = wrapped.map(wrappedChrf);
  const attacks = [...wrapped, ...by('flag_attack')];
  const injections = attacks.filter((o) => o.row.cats.includes('injection'));
  const jailbreaks = attacks.filter((o) => o.row.cats.includes('jailbreak'));
  const pii = by('redact_pii');
  let spanTotal = 0;
  let spanGone = 0;
  for (const o of pii) {
    for (const s of o.row.spans) {
      if (!['person_name', 'street_address', 'date_of_birth', 'other_pii'].includes(s.label)) continue;
      spanTotal++;
      const value = o.row.text.slice(s.start, s.end);
      if (o.result.verdict !== 'pass' && !o.result.cleaned.includes(value)) spanGone++;
    }
  }
  const obfuscatedHarm = harmful.filter((o) => o.row.kind.includes('+obf'));
  return {
    counts: { harmful: harmful.length, benign: benign.length, lookalike: lookalike.length, wrapped_benign: wrapped.length, injections: injections.length, jailbreaks: jailbreaks.length, pii_rows: pii.length, pii_spans: spanTotal },
    harmful_blocked: pct(rate(harmful.map((o) => o.result.verdict === 'blocked'))),
    obfuscated_harmful_blocked: pct(rate(obfuscatedHarm.map((o) => o.result.verdict === 'blocked'))),
    benign_unchanged: pct(rate(benign.map((o) => o.result.verdict === 'pass'))),
    benign_blocked: pct(rate(benign.map((o) => o.result.verdict === 'blocked'))),
    lookalike_unchanged: pct(rate(lookalike.map((o) => o.result.verdict === 'pass'))),
    lookalike_blocked: pct(rate(lookalike.map((o) => o.result.verdict === 'blocked'))),
    wrapped_benign_cleaned: pct(rate(wrapped.map((o) => o.result.verdict === 'cleaned'))),
    wrapped_benign_blocked: pct(rate(wrapped.map((o) => o.result.verdict === 'blocked'))),
    wrapped_chrf_mean_all: Math.round((wrappedChrfAll.reduce((a, b) => a + b, 0) / Math.max(1, wrappedChrfAll.length)) * 10) / 10,
    wrapped_chrf_mean_cleaned: Math.round((chrfs.reduce((a, b) => a + b, 0) / Math.max(1, chrfs.length)) * 10) / 10,
    wrapped_chrf_ge90: pct(rate(wrappedChrfAll.map((c) => c >= 90))),
    jailbreak_flagged: pct(rate(jailbreaks.map((o) => flagged(o.result)))),
    injection_flagged: pct(rate(injections.map((o) => flagged(o.result)))),
    pii_span_removed: pct(spanTotal ? spanGone / spanTotal : NaN),
  };
}

function perGroup(outcomes: Outcome[], key: (o: Outcome) => string) {
  const groups = new Map<string, Outcome[]>();
  for (const o of outcomes) groups.set(key(o), [...(groups.get(key(o)) ?? []), o]);
  const out: Record<string, { n: number; expect: string; ok: number }> = {};
  for (const [k, os] of [...groups.entries()].sort()) {
    const ok = os.filter((o) =>
      o.expect === 'block' ? o.result.verdict === 'blocked' : o.expect === 'pass' ? o.result.verdict === 'pass' : o.expect === 'clean_request' ? o.result.verdict === 'cleaned' : o.result.verdict !== 'pass',
    ).length;
    out[k] = { n: os.length, expect: [...new Set(os.map((o) => o.expect))].join('+'), ok: pct(ok / os.length) };
  }
  return out;
}

/** Writes one JSON object per line, creating the folder. */
function writeJsonl(path: string, rows: readonly unknown[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/** Every wrapped request with what the engine returned and its chrF, worst first, for reading by eye. */
function writeWrappedDump(outcomes: Outcome[], path: string): void {
  const rows = outcomes
    .filter((o) => o.expect === 'clean_request')
    .map((o) => ({
      chrf: Math.round(wrappedChrf(o) * 10) / 10,
      verdict: o.result.verdict,
      source: o.row.source,
      kind: o.row.kind,
      input: o.row.text,
      output: o.result.cleaned,
      expected: o.row.clean_text,
    }))
    .sort((a, b) => a.chrf - b.chrf);
  writeJsonl(path, rows);
}

/** Every benign prompt (expected to pass) that came back changed or blocked, with the findings that did it. */
function writeBenignChangedDump(outcomes: Outcome[], path: string): void {
  const rows = outcomes
    .filter((o) => o.expect === 'pass' && o.result.verdict !== 'pass')
    .map((o) => ({
      verdict: o.result.verdict,
      source: o.row.source,
      kind: o.row.kind,
      input: o.row.text,
      output: o.result.cleaned,
      findings: o.result.findings.filter((f) => f.action !== 'flag').map((f) => `${f.kind}/${f.action}: ${f.text.slice(0, 60)}`),
    }));
  writeJsonl(path, rows);
}

/** Every row's outcome (`--dump PATH`): what the engine decided and the scores behind it, for failure analysis. */
function writeOutcomeDump(outcomes: Outcome[], path: string): void {
  writeJsonl(
    path,
    outcomes.map((o) => ({
      expect: o.expect,
      verdict: o.result.verdict,
      source: o.row.source,
      kind: o.row.kind,
      cats: o.row.cats,
      risk_before: o.result.risk_before,
      risk_after: o.result.risk_after,
      semantic: o.result.semantic,
      input: o.row.text,
      output: o.result.cleaned,
      ...(o.row.clean_text ? { expected: o.row.clean_text } : {}),
      findings: o.result.findings.map((f) => ({ category: f.category, kind: f.kind, action: f.action, score: f.score, start: f.start, end: f.end })),
    })),
  );
}

async function modelMetrics(analyzer: Analyzer, rows: Row[]) {
  const cats = ['harmful', 'jailbreak', 'injection'];
  const probs: Record<string, number>[] = [];
  for (let i = 0; i < rows.length; i += 32) {
    const batch = rows.slice(i, i + 32).map((r) => normalize(r.text));
    for (const out of await analyzer.analyze(batch)) probs.push(out.probs);
  }
  const result: Record<string, unknown> = {};
  for (const c of cats) {
    const scores = probs.map((p) => p[c] ?? 0);
    const labels = rows.map((r) => r.cats.includes(c));
    const negBenign = rows.map((r) => r.cats.length === 0);
    // Recall at 1% FPR against benign rows only (what a user would see as false alarms).
    const idx = rows.map((_, i) => i).filter((i) => labels[i] || negBenign[i]);
    result[c] = {
      auroc: Math.round(auroc(scores, labels) * 1000) / 1000,
      recall_at_1pct_fpr_vs_benign: pct(recallAtFpr(idx.map((i) => scores[i]!), idx.map((i) => labels[i]!), 0.01).recall),
      ece: Math.round(ece(scores, labels) * 1000) / 1000,
      positives: labels.filter(Boolean).length,
    };
  }
  return result;
}

async function main() {
  const dataPath = resolve(arg('--data') ?? join(root, 'training', '.cache', 'data', 'val.jsonl'));
  const limit = Number(arg('--limit') ?? 4000);
  const out: Record<string, unknown> = { date: new Date().toISOString(), data: dataPath };

  console.log('== PII / secrets (deterministic detectors, generated labelled prompts) ==');
  const pii = runPiiEval();
  console.log(formatPiiEval(pii));
  writePiiEval(pii, join(root, 'bench-results', 'pii-eval.json'));
  out.pii = pii;

  if (!existsSync(dataPath)) {
    console.log(`\nNo validation split at ${dataPath}: run \`npm run train:data\` first (needs /usr/bin/python3). Only the PII evaluation ran.`);
  } else {
    const rows = await readRows(dataPath, limit);
    console.log(`\n== validation split: ${rows.length} rows from ${dataPath} ==`);
    const { analyzer, lexical, semantic, rewriter, degraded } = await loadModels({ threads: 1, semantic: true });
    if (degraded.length) console.log(degraded.join('\n'));
    const engines: Array<[string, Engine]> = [];
    if (analyzer || lexical || semantic) engines.push(['full', createEngineFromParts({ vault: createMemoryVault(), analyzer, lexical, semantic, rewriter })]);
    // --only-full: the shipped engine alone (the comparison engines below triple the run time).
    const onlyFull = argv.includes('--only-full');
    if (semantic && !onlyFull) engines.push(['without semantic head (--no-semantic)', createEngineFromParts({ vault: createMemoryVault(), analyzer, lexical, rewriter })]);
    if (rewriter && !onlyFull) engines.push(['without rewriter', createEngineFromParts({ vault: createMemoryVault(), analyzer, lexical, semantic })]);
    if (analyzer && lexical && !onlyFull) engines.push(['analyzer only (no lexical, no rewriter)', createEngineFromParts({ vault: createMemoryVault(), analyzer })]);
    if (!onlyFull || engines.length === 0) engines.push(['deterministic', createEngineFromParts({ vault: createMemoryVault() })]);
    const systems: Record<string, unknown> = {};
    for (const [name, engine] of engines) {
      const { outcomes, latency } = await runEngine(engine, rows);
      const m = systemMetrics(outcomes);
      if (name === 'full') {
        writeWrappedDump(outcomes, join(root, 'bench-results', 'eval-wrapped.jsonl'));
        writeBenignChangedDump(outcomes, join(root, 'bench-results', 'eval-benign-changed.jsonl'));
        const dump = arg('--dump');
        if (dump) writeOutcomeDump(outcomes, resolve(dump));
      }
      systems[name] = { ...m, latency_ms: summarize(latency), by_source: perGroup(outcomes, (o) => `${o.row.source}`), by_lang: perGroup(outcomes, (o) => o.row.lang), by_kind: perGroup(outcomes, (o) => o.row.kind) };
      console.log(`\n-- engine: ${name} --`);
      for (const [k, v] of Object.entries(m)) console.log(`${k.padEnd(30)} ${typeof v === 'object' ? JSON.stringify(v) : v}`);
      console.log(`${'latency_ms'.padEnd(30)} ${JSON.stringify(summarize(latency))}`);
    }
    out.systems = systems;
    if (analyzer) {
      out.model = await modelMetrics(analyzer, rows);
      console.log('\n-- analyzer (ONNX) on the same rows --');
      console.log(JSON.stringify(out.model, null, 1));
      out.analyzer = { name: analyzer.name, version: analyzer.version };
      await analyzer.dispose();
    }
    if (semantic) {
      out.semantic = { version: semantic.version };
      await semantic.close();
    }
  }
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results', 'eval.json'), JSON.stringify(out, null, 2));
  console.log(`\nwritten ${join(root, 'bench-results', 'eval.json')}`);
}

if (!process.env.VITEST) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
