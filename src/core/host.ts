/**
 * @file Building a ready engine for a host: opens the database (history + vault), the vault key,
 * and the models, and reports what could not be loaded instead of failing when a model is
 * missing or corrupt (the deterministic layers keep working). Every host (Electron main, the
 * CLI, the HTTP host, batch workers) goes through here, so they all get the same engine.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PolicyName } from '../shared/result';
import { createOnnxAnalyzer } from './analyzer';
import { openDatabase, withDatabaseErrors } from './db';
import { createEngineFromParts } from './engine/engine';
import type { Analyzer, Engine, Rewriter } from './engine/types';
import { createHistoryRepository, type HistoryRepository } from './history';
import { latestModelDir } from './inference';
import { createLexicalScorer, type LexicalScorer } from './lexical';
import { loadRewriter } from './rewriter';
import { createSemanticScorer, type SemanticScorer } from './semantic';
import type { Policy } from './policy/policy';
import { createMemoryVault, createSqliteVault, EnvKeyProvider, FileKeyProvider, type KeyProvider } from './vault';

export type HostOptions = {
  /** Folder for diffguard.db and the vault key file. Created when missing. */
  dataDir: string;
  /** Log runs to history (default true). The vault is kept either way, so placeholders can be restored. */
  history?: boolean;
  /** Store scores and findings but no text in history. */
  privacyMode?: boolean;
  /** Vault key source. Default: $DIFFGUARD_VAULT_KEY when set, else <dataDir>/vault.key (mode 0600). */
  keyProvider?: KeyProvider;
  /** Load the learned models (default true). When false or missing, the deterministic layers run alone. */
  useModels?: boolean;
  /**
   * Load the semantic harm head (models/semantic; default true) and fuse it with the analyzer and
   * the lexical head. On validation it raises harmful requests blocked from 20.7% to 25.0% with
   * benign look-alikes blocked at 4.3% instead of 4.8%; it costs 10-20% of the CLI's rows per
   * second (docs/benchmarks.md). False: the two other heads alone (OR rule).
   */
  semantic?: boolean;
  /** Folder holding models/<name>/. Default: the repository's or app's `models` folder. */
  modelsDir?: string;
  policy?: PolicyName | Policy;
  /** Execution provider preference for ONNX sessions. */
  provider?: 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml';
  /** onnxruntime intra-op threads per session. */
  threads?: number;
  /** Keep the vault in memory only (nothing persisted). */
  ephemeralVault?: boolean;
};

export type Host = {
  engine: Engine;
  history: HistoryRepository | null;
  close(): Promise<void>;
};

/** $DIFFGUARD_HOME, else $XDG_DATA_HOME/diffguard, else ~/.local/share/diffguard. */
export function defaultDataDir(): string {
  if (process.env.DIFFGUARD_HOME) return resolve(process.env.DIFFGUARD_HOME);
  const xdg = process.env.XDG_DATA_HOME;
  return join(xdg && xdg.trim() ? xdg : join(homedir(), '.local', 'share'), 'diffguard');
}

/** The `models` folder next to the built code (out/main → ../../models) or the working directory's. */
export function defaultModelsDir(): string {
  const candidates = [
    process.env.DIFFGUARD_MODELS,
    join(__dirname, '..', '..', 'models'),
    join(__dirname, '..', '..', '..', 'models'),
    join(process.cwd(), 'models'),
  ].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(join(p, 'analyzer'))) ?? candidates[candidates.length - 1]!;
}

/** Resolves models/analyzer/LATEST to the shipped analyzer's folder. */
export function analyzerDir(modelsDir: string): string {
  return latestModelDir(modelsDir, 'analyzer');
}

/** Loads the analyzer, or explains why it could not be loaded. */
export async function loadAnalyzer(options: Pick<HostOptions, 'modelsDir' | 'provider' | 'threads'>): Promise<{ analyzer: Analyzer | null; degraded: string[] }> {
  try {
    const dir = analyzerDir(options.modelsDir ?? defaultModelsDir());
    const analyzer = await createOnnxAnalyzer({ modelDir: dir, provider: options.provider ?? 'auto', intraOpNumThreads: options.threads ?? 1 });
    return { analyzer, degraded: [] };
  } catch (error) {
    return { analyzer: null, degraded: [`Analyzer model unavailable, deterministic layers only: ${(error as Error).message}`] };
  }
}

/** Loads the lexical head (models/lexical/LATEST), or explains why it could not be loaded. */
export function loadLexical(modelsDir: string = defaultModelsDir()): { lexical: LexicalScorer | null; degraded: string[] } {
  try {
    return { lexical: createLexicalScorer(latestModelDir(modelsDir, 'lexical')), degraded: [] };
  } catch (error) {
    return { lexical: null, degraded: [`Lexical model unavailable: ${(error as Error).message}`] };
  }
}

/** Loads the semantic harm head (models/semantic/LATEST), or explains why it could not be loaded. */
export async function loadSemantic(
  options: Pick<HostOptions, 'modelsDir' | 'provider' | 'threads'>,
): Promise<{ semantic: SemanticScorer | null; degraded: string[] }> {
  try {
    const dir = latestModelDir(options.modelsDir ?? defaultModelsDir(), 'semantic');
    return { semantic: await createSemanticScorer(dir, { provider: options.provider ?? 'auto', intraOpNumThreads: options.threads ?? 1 }), degraded: [] };
  } catch (error) {
    return { semantic: null, degraded: [`Semantic harm model unavailable: ${(error as Error).message}`] };
  }
}

/** Loads every model stage; what cannot be loaded is reported in `degraded`, never thrown. */
export async function loadModels(
  options: Pick<HostOptions, 'modelsDir' | 'provider' | 'threads' | 'useModels' | 'semantic'>,
): Promise<{ analyzer: Analyzer | null; lexical: LexicalScorer | null; semantic: SemanticScorer | null; rewriter: Rewriter | null; degraded: string[] }> {
  if (options.useModels === false) return { analyzer: null, lexical: null, semantic: null, rewriter: null, degraded: [] };
  const modelsDir = options.modelsDir ?? defaultModelsDir();
  const a = await loadAnalyzer(options);
  const l = loadLexical(modelsDir);
  const s = options.semantic !== false ? await loadSemantic(options) : { semantic: null, degraded: [] };
  // The rewriter steers its edit search with the analyzer's embeddings: no analyzer, no rewriter.
  const r = a.analyzer ? await loadRewriter({ analyzer: a.analyzer, modelsDir, ...(options.threads ? { threads: options.threads } : {}) }) : { rewriter: null, degraded: [] };
  return { analyzer: a.analyzer, lexical: l.lexical, semantic: s.semantic, rewriter: r.rewriter, degraded: [...a.degraded, ...l.degraded, ...s.degraded, ...r.degraded] };
}

/** Opens everything a host needs and returns the engine. */
export async function openHost(options: HostOptions): Promise<Host> {
  mkdirSync(options.dataDir, { recursive: true });
  const dbPath = join(options.dataDir, 'diffguard.db');
  const db = openDatabase(dbPath);
  try {
    // Fail now, with a clear DB_LOCKED error, when another process holds the write lock: better
    // than failing on the first history write in the middle of a run.
    withDatabaseErrors(() => {
      db.exec('BEGIN IMMEDIATE');
      db.exec('ROLLBACK');
    }, dbPath);
    const keyProvider =
      options.keyProvider ?? (process.env.DIFFGUARD_VAULT_KEY ? new EnvKeyProvider() : new FileKeyProvider(join(options.dataDir, 'vault.key')));
    const vault = options.ephemeralVault ? createMemoryVault() : createSqliteVault(db, keyProvider);
    const history = options.history === false ? null : createHistoryRepository(db, { privacyMode: options.privacyMode ?? false });
    const { analyzer, lexical, semantic, rewriter, degraded } = await loadModels(options);
    const engine = createEngineFromParts({ vault, analyzer, lexical, semantic, rewriter, history, policy: options.policy, degraded });
    return {
      engine,
      history,
      async close() {
        await engine.close();
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** An engine with an in-memory vault and no history: for tests and one-off use. */
export async function createEngine(options: Omit<HostOptions, 'dataDir'> = {}): Promise<Engine> {
  const { analyzer, lexical, semantic, rewriter, degraded } = await loadModels(options);
  return createEngineFromParts({ vault: createMemoryVault(), analyzer, lexical, semantic, rewriter, policy: options.policy, degraded });
}
