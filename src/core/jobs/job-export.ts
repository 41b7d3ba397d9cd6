/**
 * @file Exports of a batch job's committed rows, in input order: CSV with every input column plus
 * the CLI's result columns (the CLI's CsvFormatter, formula-injection protection on by default,
 * optional UTF-8 BOM), JSONL (the CLI's record shape), and a self-contained HTML review report
 * of the flagged rows (no scripts, no external resources).
 */
import { CsvFormatter } from '../io/csv';
import { jsonlRecord } from '../io/jsonl';
import type { InputRow } from '../io/types';
import type { JobRecord, JobResultRow, JobStore } from './job-store';

/** Export formats of a job. */
export type JobExportFormat = 'csv' | 'jsonl' | 'html';

export type JobExportOptions = {
  format: JobExportFormat;
  /** CSV: prefix cells that a spreadsheet would run as formulas (default true). */
  protect?: boolean;
  /** CSV: start with a UTF-8 byte order mark so spreadsheet programs detect the encoding (default false). */
  bom?: boolean;
};

const toInputRow = (job: JobRecord, r: JobResultRow): InputRow => ({
  index: r.index,
  line: r.line,
  id: r.index + 1,
  text: r.fields[job.textColumn] ?? null,
  fields: r.fields,
});

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Yields the export in pieces (so a host can stream it to a file). */
export function* exportJob(store: JobStore, job: JobRecord, options: JobExportOptions): Generator<string> {
  if (options.format === 'csv') {
    const fmt = new CsvFormatter({ header: job.header, protect: options.protect ?? true });
    yield (options.bom ? '\uFEFF' : '') + fmt.header();
    let batch: JobResultRow[] = [];
    const flush = (): string => {
      const s = fmt.format(
        batch.map((r) => toInputRow(job, r)),
        batch.map((r) => r.result),
      );
      batch = [];
      return s;
    };
    for (const r of store.iterate(job.id)) {
      batch.push(r);
      if (batch.length >= 500) yield flush();
    }
    if (batch.length) yield flush();
    return;
  }
  if (options.format === 'jsonl') {
    for (const r of store.iterate(job.id)) yield JSON.stringify(jsonlRecord(toInputRow(job, r), r.result)) + '\n';
    return;
  }
  const summary = store.summary(job.id);
  yield `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>DiffGuard review: ${escapeHtml(job.name)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font:14px/1.5 system-ui,sans-serif;margin:2rem;color:#1b1d21}table{border-collapse:collapse;width:100%}td,th{border:1px solid #d6d9de;padding:.4rem;vertical-align:top;text-align:left}
th{background:#f1f3f5}.v-blocked{color:#b42318}.v-cleaned{color:#9a6700}.v-error{color:#6b21a8}pre{white-space:pre-wrap;margin:0;font:13px/1.4 ui-monospace,monospace}</style></head><body>
<h1>DiffGuard review report</h1><p>File <strong>${escapeHtml(job.name)}</strong> · column <strong>${escapeHtml(job.header[job.textColumn] ?? '')}</strong> · policy ${escapeHtml(job.policy ?? 'default')} · ${summary.rows} rows: ${summary.byVerdict.pass} passed, ${summary.byVerdict.cleaned} cleaned, ${summary.byVerdict.blocked} blocked, ${summary.byVerdict.error} errors.</p>
<table><thead><tr><th>Row</th><th>Verdict</th><th>Original</th><th>Cleaned</th><th>Findings</th></tr></thead><tbody>
`;
  for (const r of store.iterate(job.id)) {
    if (r.result.verdict === 'pass') continue;
    const findings = r.result.findings.map((f) => `${escapeHtml(f.category)}/${escapeHtml(f.kind)} → ${escapeHtml(f.action)} (${f.score.toFixed(2)})`).join('<br>');
    yield `<tr><td>${r.index + 1}</td><td class="v-${r.result.verdict}">${r.result.verdict}</td><td><pre>${escapeHtml(r.fields[job.textColumn] ?? '')}</pre></td><td><pre>${escapeHtml(r.result.verdict === 'error' ? (r.result.error ?? '') : r.result.cleaned)}</pre></td><td>${findings}</td></tr>\n`;
  }
  yield '</tbody></table></body></html>\n';
}

/** The whole export as one string (for IPC/HTTP responses). */
export function exportJobToString(store: JobStore, job: JobRecord, options: JobExportOptions): string {
  let s = '';
  for (const piece of exportJob(store, job, options)) s += piece;
  return s;
}
