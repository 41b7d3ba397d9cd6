/**
 * @file `npm run bench`: latency per stage and end to end by prompt length, engine start-up time and
 * memory, and CLI throughput and peak RSS on generated CSV files. Prints a table and writes
 * bench-results/bench.json. A benchmark, not a test: it asserts nothing, it measures.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { detectDeterministic } from '../src/core/detect';
import { createEngineFromParts } from '../src/core/engine/engine';
import { loadModels } from '../src/core/host';
import { normalize } from '../src/core/normalize';
import { createMemoryVault } from '../src/core/vault';
import { promptOfLength, rng, summarize } from './bench-lib';
import { runPeerBench } from './bench-peers';

const LENGTHS = [100, 1024, 8192, 65536];
const root = resolve(__dirname, '..', '..');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');

async function time<T>(fn: () => Promise<T> | T): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function stageLatencies() {
  const t0 = performance.now();
  const { analyzer, lexical, semantic, degraded } = await loadModels({ threads: 1 });
  const startupMs = performance.now() - t0;
  const engine = createEngineFromParts({ vault: createMemoryVault(), analyzer, lexical, semantic, degraded });
  const rows: Record<string, unknown>[] = [];
  for (const len of LENGTHS) {
    const rand = rng(len);
    const n = quick ? 20 : len >= 65536 ? 20 : len >= 8192 ? 60 : 200;
    const prompts = Array.from({ length: n }, () => promptOfLength(len, rand));
    // End to end on other prompts: the analyzer remembers the texts it has just scored, so timing the
    // engine on a prompt the stage loop already analysed would leave the model run out.
    const fresh = Array.from({ length: n }, () => promptOfLength(len, rand));
    await engine.sanitize(promptOfLength(len, rand), { record: false }); // warm-up
    const norm: number[] = [], det: number[] = [], ana: number[] = [], e2e: number[] = [];
    for (const [i, p] of prompts.entries()) {
      norm.push(await time(() => normalize(p)));
      const nt = normalize(p);
      det.push(await time(() => detectDeterministic(nt)));
      if (analyzer) ana.push(await time(() => analyzer.analyze([nt])));
      e2e.push(await time(() => engine.sanitize(fresh[i]!, { record: false })));
    }
    rows.push({ bytes: len, normalize: summarize(norm), detect: summarize(det), analyzer: analyzer ? summarize(ana) : null, end_to_end: summarize(e2e) });
  }
  const info = engine.info();
  await engine.close();
  return { startupMs: Math.round(startupMs), rssAfterStartMB: Math.round(process.memoryUsage().rss / 2 ** 20), analyzer: info.analyzer, degraded: info.degraded, rows };
}

/** Writes a realistic CSV with `rows` rows: ids, a channel column, and the prompt text. */
function writeCsv(path: string, rows: number): Promise<void> {
  const rand = rng(rows);
  const out = createWriteStream(path);
  out.write('id,channel,text\n');
  return new Promise((resolveDone, reject) => {
    let i = 0;
    const write = () => {
      let ok = true;
      while (i < rows && ok) {
        const text = promptOfLength(60 + Math.floor(rand() * 400), rand).replace(/"/g, '""');
        ok = out.write(`${i},${rand() < 0.5 ? 'chat' : 'email'},"${text}"\n`);
        i++;
      }
      if (i < rows) out.once('drain', write);
      else out.end(resolveDone);
    };
    out.on('error', reject);
    write();
  });
}

/** Runs the built CLI on a CSV and samples its peak RSS from /proc (VmHWM). */
async function cliThroughput(rows: number, threads: number, extra: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'dg-bench-'));
  try {
    const input = join(dir, 'in.csv');
    await writeCsv(input, rows);
    const output = join(dir, 'out.csv');
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(root, 'bin', 'diffguard.js'), 'sanitize', '--input', input, '--output', output, '--no-history', '--threads', String(threads), ...extra], {
      env: { ...process.env, DIFFGUARD_HOME: join(dir, 'home') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let peakKB = 0;
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKB = Math.max(peakKB, Number(m[1]));
      } catch {
        /* the process has exited */
      }
    }, 25);
    const code: number = await new Promise((r) => child.on('close', (c) => r(c ?? -1)));
    clearInterval(timer);
    const seconds = (performance.now() - t0) / 1000;
    const outRows = readFileSync(output, 'utf8').split('\n').length;
    return { rows, threads, args: extra, exitCode: code, seconds: Math.round(seconds * 100) / 100, rowsPerSecond: Math.round(rows / seconds), peakRssMB: Math.round(peakKB / 1024), outputLines: outRows, stderrTail: stderr.slice(-300) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` };
  console.log('DiffGuard benchmark on', machine);
  const stages = await stageLatencies();
  console.log(`\nengine start-up ${stages.startupMs} ms, RSS ${stages.rssAfterStartMB} MB, analyzer: ${stages.analyzer ? `${stages.analyzer.name} ${stages.analyzer.version} (${stages.analyzer.provider})` : 'none'}`);
  if (stages.degraded.length) console.log('degraded:', stages.degraded.join('; '));
  console.log('\nlatency ms (p50 / p95 / p99)');
  console.log('bytes'.padEnd(8) + ['normalize', 'detect', 'analyzer', 'end to end'].map((h) => h.padEnd(24)).join(''));
  const cell = (s: { p50: number; p95: number; p99: number } | null) => (s ? `${s.p50} / ${s.p95} / ${s.p99}` : '—').padEnd(24);
  for (const r of stages.rows as Array<Record<string, never>>) console.log(String(r.bytes).padEnd(8) + cell(r.normalize) + cell(r.detect) + cell(r.analyzer) + cell(r.end_to_end));
  const cli = [];
  for (const rows of quick ? [2000] : [10_000, 100_000]) {
    const r = await cliThroughput(rows, 1);
    cli.push(r);
    console.log(`\nCLI ${rows} rows: ${r.rowsPerSecond} rows/s, ${r.seconds} s, peak RSS ${r.peakRssMB} MB, exit ${r.exitCode}, ${r.outputLines - 2} rows out`);
  }
  // The semantic harm head's cost, on the smaller run.
  const noSemantic = await cliThroughput(quick ? 2000 : 10_000, 1, ['--no-semantic']);
  cli.push(noSemantic);
  console.log(`CLI ${noSemantic.rows} rows --no-semantic: ${noSemantic.rowsPerSecond} rows/s, ${noSemantic.seconds} s, peak RSS ${noSemantic.peakRssMB} MB, exit ${noSemantic.exitCode}`);
  console.log('\n== side by side with npm peers (same inputs, same run) ==');
  await runPeerBench({ root, quick });
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  const file = join(root, 'bench-results', 'bench.json');
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, stages, cli }, null, 2));
  console.log(`\nwritten ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
