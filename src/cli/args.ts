/**
 * @file Command-line parsing and help texts for `diffguard` (node:util parseArgs). Turns argv
 * into a typed command or a `UsageError`; knows nothing about the engine.
 */
import { parseArgs } from 'node:util';

/** Exit codes of the CLI (PRODUCT.md, the command-line contract). */
export const EXIT = {
  /** Every row was processed. */
  OK: 0,
  /** Internal failure (a bug, a database that cannot be opened, an output that cannot be written). */
  INTERNAL: 1,
  /** Usage error or unreadable input. */
  USAGE: 2,
  /** Finished, but some rows were verdict `error`. */
  ROW_ERRORS: 3,
} as const;

/** A mistake in the command line; printed with a hint to --help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Format = 'jsonl' | 'csv';

export type SanitizeArgs = {
  command: 'sanitize';
  input: string | null;
  output: string | null;
  format: Format | null;
  column: string | null;
  policy: string | null;
  threads: number;
  history: boolean;
  dataDir: string | null;
  text: string | null;
  csvProtect: boolean;
  models: boolean;
  /** Run the semantic harm head (default; --no-semantic turns it off for speed). */
  semantic: boolean;
  quiet: boolean;
  /** Continue an interrupted run from PATH.partial instead of starting over. */
  resume: boolean;
};

export type RestoreArgs = {
  command: 'restore';
  input: string | null;
  output: string | null;
  format: Format | 'text' | null;
  column: string | null;
  dataDir: string | null;
  text: string | null;
  csvProtect: boolean;
};

export type Command = SanitizeArgs | RestoreArgs | { command: 'help'; topic: string | null } | { command: 'version' };

export const MAIN_HELP = `diffguard — clean prompts before they reach a language model, on this machine.

Usage:
  diffguard sanitize [--input PATH|-] [--output PATH|-] [--format jsonl|csv] [--column NAME]
                     [--policy strict|balanced|permissive|PATH] [--threads N] [--no-history]
  diffguard sanitize --text "a prompt"        print the JSON result for one text
  diffguard restore  [--input PATH|-] [--output PATH|-] [--format text|jsonl|csv]
  diffguard --help | --version

Run "diffguard sanitize --help" or "diffguard restore --help" for details.

Exit codes: 0 every row fine, 3 finished but some rows are verdict "error",
            2 usage error or unreadable input, 1 internal failure.
Data folder (history, vault): $DIFFGUARD_HOME, else $XDG_DATA_HOME/diffguard,
else ~/.local/share/diffguard; --data-dir DIR overrides.
`;

export const SANITIZE_HELP = `Usage: diffguard sanitize [options]

Reads prompts (JSONL or CSV), writes one result row per input row, in input order.

  -i, --input PATH|-       input file, or - for stdin (default: stdin)
  -o, --output PATH|-      output file, or - for stdout (default: stdout); a file is written
                           as PATH.partial and renamed when the run completes
  -f, --format jsonl|csv   input format (default: from the file extension; jsonl for stdin).
                           The output format follows --output's extension, else the input's.
  -c, --column NAME        CSV: the text column (default: text, prompt, message, content or
                           body, else the column with the longest text); JSONL: the text field
  -p, --policy NAME|PATH   strict, balanced (default), permissive, or a policy JSON file
  -t, --threads N          worker threads (default: 2 on a machine with 2 or more cores when the
                           models are loaded, else 1, i.e. this process)
      --no-history         do not log the run to the history database
      --data-dir DIR       folder of the history database and the vault
      --no-csv-protect     CSV output: do not prefix cells starting with = + - @ with '
      --no-models          deterministic layers only (skip the learned models)
      --no-semantic        skip the semantic harm head (a pretrained sentence encoder fused with
                           the analyzer): about a quarter more rows per second, fewer harmful requests
                           blocked (see models/semantic's model card)
      --text TEXT          sanitize one text and print the JSON result
      --resume             continue an interrupted run (killed, crashed, Ctrl-C): keep the
                           complete rows of --output's PATH.partial and process only the rest
  -q, --quiet              no notes or summary on stderr
  -h, --help

JSONL in:  {"id": ..., "text": "..."} per line.
JSONL out: id, text, cleaned, verdict, risk_before, risk_after, semantic, categories,
           findings, elapsed_ms (+ error). A bad line yields a verdict "error" row in its place.
CSV out:   every input column, then cleaned, verdict, risk_before, risk_after, semantic,
           categories, findings, elapsed_ms, error.
`;

export const RESTORE_HELP = `Usage: diffguard restore [options]

Puts the values remembered by the vault back in place of placeholders such as [EMAIL_1].

  -i, --input PATH|-         input file, or - for stdin (default: stdin)
  -o, --output PATH|-        output file, or - for stdout (default: stdout)
  -f, --format text|jsonl|csv  text (default for stdin): the input is plain text, restored line
                             by line; jsonl: {"id","text"} per line; csv: with --column
  -c, --column NAME          the text column (CSV) or field (JSONL)
      --data-dir DIR         folder of the vault
      --text TEXT            restore one text and print it
      --no-csv-protect       CSV output: no formula-injection protection
  -h, --help
`;

const FORMATS_SANITIZE: readonly string[] = ['jsonl', 'csv'];
const FORMATS_RESTORE: readonly string[] = ['jsonl', 'csv', 'text'];

/**
 * Parses `argv` (without node and the script).
 * @throws UsageError on unknown options, bad values or a missing command
 */
export function parseCommand(argv: string[]): Command {
  const first = argv[0];
  if (first === undefined) return { command: 'help', topic: null };
  if (first === '--help' || first === '-h' || first === 'help') return { command: 'help', topic: argv[1] ?? null };
  if (first === '--version' || first === '-v' || first === 'version') return { command: 'version' };
  if (first !== 'sanitize' && first !== 'restore') {
    throw new UsageError(first.startsWith('-') ? `unknown option ${first}` : `unknown command "${first}" (expected sanitize or restore)`);
  }
  const rest = argv.slice(1);
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const v = parsed.values;
  if (v.help) return { command: 'help', topic: first };
  if (parsed.positionals.length > 1 || (parsed.positionals.length === 1 && v.input !== undefined)) {
    throw new UsageError(`unexpected argument "${parsed.positionals[parsed.positionals.length - 1]}"`);
  }
  const input = v.input ?? parsed.positionals[0] ?? null;
  const format = v.format ?? null;
  const allowed = first === 'sanitize' ? FORMATS_SANITIZE : FORMATS_RESTORE;
  if (format !== null && !allowed.includes(format)) throw new UsageError(`--format must be ${allowed.join(' or ')}, not "${format}"`);
  if (v.text !== undefined && input !== null) throw new UsageError('--text and --input cannot be used together');
  const empty = (name: string, value: string | undefined): void => {
    if (value !== undefined && value.trim() === '') throw new UsageError(`--${name} needs a value`);
  };
  empty('input', v.input);
  empty('output', v.output);
  empty('column', v.column);
  empty('data-dir', v['data-dir']);
  empty('policy', v.policy);

  if (first === 'restore') {
    for (const name of ['policy', 'threads', 'no-history', 'no-models', 'no-semantic', 'quiet', 'resume'] as const) {
      if (v[name] !== undefined) throw new UsageError(`--${name} is not an option of restore`);
    }
    return {
      command: 'restore',
      input,
      output: v.output ?? null,
      format: format as RestoreArgs['format'],
      column: v.column ?? null,
      dataDir: v['data-dir'] ?? null,
      text: v.text ?? null,
      csvProtect: !v['no-csv-protect'],
    };
  }
  let threads = 0; // 0: automatic (see sanitize.ts)
  if (v.threads !== undefined) {
    if (!/^\d+$/.test(v.threads) || Number(v.threads) < 1 || Number(v.threads) > 256) {
      throw new UsageError(`--threads must be a whole number from 1 to 256, not "${v.threads}"`);
    }
    threads = Number(v.threads);
  }
  return {
    command: 'sanitize',
    input,
    output: v.output ?? null,
    format: format as Format | null,
    column: v.column ?? null,
    policy: v.policy ?? null,
    threads,
    history: !v['no-history'],
    dataDir: v['data-dir'] ?? null,
    text: v.text ?? null,
    csvProtect: !v['no-csv-protect'],
    models: !v['no-models'],
    semantic: !v['no-semantic'],
    quiet: v.quiet ?? false,
    resume: resumeOf(v.resume ?? false, v.output),
  };
}

function resumeOf(resume: boolean, output: string | undefined): boolean {
  if (resume && (output === undefined || output === '-')) throw new UsageError('--resume needs --output PATH (it continues PATH.partial)');
  return resume;
}

const OPTIONS = {
  input: { type: 'string', short: 'i' },
  output: { type: 'string', short: 'o' },
  format: { type: 'string', short: 'f' },
  column: { type: 'string', short: 'c' },
  policy: { type: 'string', short: 'p' },
  threads: { type: 'string', short: 't' },
  'no-history': { type: 'boolean' },
  'data-dir': { type: 'string' },
  'no-csv-protect': { type: 'boolean' },
  'no-models': { type: 'boolean' },
  'no-semantic': { type: 'boolean' },
  text: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  resume: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The format implied by a file name, or null. */
export function formatFromPath(path: string | null): Format | null {
  if (path === null || path === '-') return null;
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.tsv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson') || lower.endsWith('.json')) return 'jsonl';
  return null;
}
