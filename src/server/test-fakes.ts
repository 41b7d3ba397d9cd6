/**
 * @file Test doubles for the host tests: a small engine that redacts e-mail addresses with the
 * same placeholder scheme as the real one, and an in-memory history. Used only by *.test.ts.
 */
import type { Engine, RestoreResult } from '../core/engine/types';
import type { SanitizeResult } from '../shared/result';
import type { HistoryPort } from './handlers';

/** A deterministic stand-in for the engine: finds e-mail addresses only. */
export function fakeEngine(log?: Array<{ text: string; policy?: string; source?: string }>): Pick<Engine, 'sanitize' | 'restore' | 'info'> {
  const vault = new Map<string, string>();
  return {
    async sanitize(text, options): Promise<SanitizeResult> {
      log?.push({ text, policy: typeof options?.policy === 'object' ? options.policy.name : options?.policy, source: options?.source });
      const findings: SanitizeResult['findings'] = [];
      let n = 0;
      const cleaned = text.replace(/[\w.+-]+@[\w-]+\.[\w.]+/g, (m, offset: number) => {
        const ph = `[EMAIL_${++n}]`;
        vault.set(ph, m);
        findings.push({ kind: 'email', category: 'pii', start: offset, end: offset + m.length, text: m, score: 0.99, action: 'redact', replacement: ph });
        return ph;
      });
      return {
        verdict: findings.length ? 'cleaned' : 'pass',
        cleaned,
        findings,
        categories: findings.length ? ['pii'] : [],
        risk_before: findings.length ? 0.6 : 0,
        risk_after: 0,
        semantic: findings.length ? 0.9 : 1,
        elapsed_ms: 1,
      };
    },
    restore(text): RestoreResult {
      let restored = 0;
      const unknown: string[] = [];
      const out = text.replace(/\[[A-Z]+_\d+\]/g, (ph) => {
        const v = vault.get(ph);
        if (v === undefined) {
          unknown.push(ph);
          return ph;
        }
        restored++;
        return v;
      });
      return { text: out, restored, unknown };
    },
    info: () => ({ version: 'test', analyzer: null, rewriter: null, degraded: [] }),
  };
}

/** An in-memory history with the repository's shape (snake_case rows, JSON columns as text). */
export function fakeHistory(): HistoryPort & { rows: Array<Record<string, unknown>> } {
  const rows: Array<Record<string, unknown>> = [];
  return {
    rows,
    list: (q) => {
      const filtered = rows.filter((r) => !q.verdict || r.verdict === q.verdict);
      return { rows: filtered.slice(Number(q.offset ?? 0), Number(q.offset ?? 0) + Number(q.limit ?? 50)), total: filtered.length };
    },
    search: (query) => {
      const hit = rows.filter((r) => String(r.text).includes(query));
      return { rows: hit, total: hit.length };
    },
    get: (id) => rows.find((r) => r.id === id) ?? null,
    delete: (id) => {
      const i = rows.findIndex((r) => r.id === id);
      if (i >= 0) rows.splice(i, 1);
      return i >= 0;
    },
    deleteAll: () => rows.splice(0).length,
    exportJsonl: async (out) => {
      for (const r of rows) out.write(JSON.stringify(r) + '\n');
      return rows.length;
    },
    exportCsv: async (out) => {
      out.write('id,verdict\n');
      for (const r of rows) out.write(`${r.id},${r.verdict}\n`);
      return rows.length;
    },
  };
}

/** A history row as the SQLite repository stores it. */
export function historyRow(id: number, text: string, cleaned: string, verdict = 'cleaned'): Record<string, unknown> {
  return {
    id,
    created_at: '2026-11-26T10:00:00.000Z',
    source: 'workbench',
    policy: 'balanced',
    verdict,
    text,
    cleaned,
    categories: JSON.stringify(['pii']),
    findings: JSON.stringify([]),
    risk_before: 0.6,
    risk_after: 0,
    semantic: 0.9,
    elapsed_ms: 2,
  };
}
