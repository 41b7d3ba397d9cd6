// A protocol-conforming batch worker with a trivial "engine" (upper-cases the text), used to
// test the pool with real threads: crashes, retries, ordering and cancellation.
//   "CRASH-ONCE:<path>"  exits the thread the first time (creates <path> as a marker)
//   "CRASH-ALWAYS"       exits the thread every time
//   "SLOW:<ms>:<text>"   answers after <ms> milliseconds
//   workerData.failInit  makes init fail
import { parentPort, workerData } from 'node:worker_threads';
import { existsSync, writeFileSync } from 'node:fs';

const cancelled = new Set();
let queue = Promise.resolve();
const result = (text) => ({
  verdict: text === text.toUpperCase() ? 'pass' : 'cleaned',
  cleaned: text.toUpperCase(),
  findings: [],
  categories: [],
  risk_before: 0,
  risk_after: 0,
  semantic: 1,
  elapsed_ms: 0,
});

async function handle(msg) {
  if (msg.type === 'init') {
    if (workerData && workerData.failInit) {
      parentPort.postMessage({ type: 'error', seq: msg.seq, error: { name: 'Error', message: 'cannot open database: disk I/O error' } });
    } else {
      parentPort.postMessage({ type: 'ready', seq: msg.seq, degraded: [] });
    }
    return;
  }
  if (msg.type === 'close') {
    parentPort.postMessage({ type: 'closed', seq: msg.seq });
    parentPort.close();
    return;
  }
  if (msg.type !== 'chunk') return;
  if (cancelled.delete(msg.seq)) {
    parentPort.postMessage({ type: 'error', seq: msg.seq, error: { name: 'AbortError', message: 'chunk cancelled' } });
    return;
  }
  const results = [];
  for (const row of msg.rows) {
    const text = row.text ?? '';
    if (text.startsWith('CRASH-ONCE:')) {
      const marker = text.slice('CRASH-ONCE:'.length);
      if (!existsSync(marker)) {
        writeFileSync(marker, 'crashed');
        process.exit(1);
      }
    }
    if (text === 'CRASH-ALWAYS') process.exit(1);
    if (text.startsWith('SLOW:')) {
      const [, ms, rest] = text.split(':');
      await new Promise((r) => setTimeout(r, Number(ms)));
      results.push(result(rest));
      continue;
    }
    results.push(row.error !== undefined ? { ...result(''), verdict: 'error', error: row.error } : result(text));
  }
  parentPort.postMessage({ type: 'result', seq: msg.seq, results });
}

parentPort.on('message', (msg) => {
  if (msg.type === 'cancel') {
    cancelled.add(msg.seq);
    return;
  }
  queue = queue.then(() => handle(msg));
});
