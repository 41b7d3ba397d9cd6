/**
 * @file The semantic harm head at run time: loads `models/semantic/<version>/` (manifest.json,
 * encoder.onnx, vocab.json, head.bin — each size- and sha256-checked), embeds normalized texts
 * with the pretrained sentence encoder (an ONNX session from the inference layer) and maps each
 * embedding to a calibrated P(harmful request) with a small MLP. A third opinion next to the
 * analyzer and the lexical head; the engine decides how to combine them. When the folder has an
 * attack head (attack.bin, `diffguard_train.attack_head`), the same embedding also gives
 * P(jailbreak) and P(injection).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { PolicyName } from '../../shared/result';
import { createSession, float32LE, ModelError, planBatches, readVerifiedFile, type ModelSession, type ProviderChoice } from '../inference';
import { FusionSchema, type HarmFusion } from './fusion';
import { rejoinSplitWords } from './rejoin';
import { SentenceTokenizer, type VocabEntry } from './tokenizer';

/** Manifest format this runtime reads. */
export const SEMANTIC_FORMAT = 'diffguard-semantic/1';
const DIM = 512;
/** One encoder run's fixed cost in padded tokens' worth (measured: ~0.55 ms a run, ~0.06 ms a token, one core). */
const RUN_COST_TOKENS = 10;
/**
 * Most padded tokens in one encoder run. ONNX Runtime's arena keeps the largest activations it has
 * seen (a 32 × 128 batch holds 25 MB in one FFN layer alone), per worker, for the life of the process.
 */
const MAX_BATCH_TOKENS = 1024;

const FileSchema = z.looseObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/i), bytes: z.number().int().positive() });
const ThresholdSchema = z.object({ harmful: z.number().min(0).max(1) });
const Prob = z.number().min(0).max(1);
const AttackThresholds = z.object({ jailbreak: Prob, injection: Prob });
const Platt = z.object({ a: z.number(), b: z.number() });
/** The attack head: P(jailbreak), P(injection) from the same embedding (present with attack.bin). */
const AttackSchema = z.looseObject({
  categories: z.tuple([z.literal('jailbreak'), z.literal('injection')]),
  hidden: z.number().int().positive(),
  input_scale: z.number().positive(),
  calibration: z.object({ jailbreak: Platt, injection: Platt }),
  thresholds: z.object({ strict: AttackThresholds, balanced: AttackThresholds, permissive: AttackThresholds }),
});
const ManifestSchema = z.looseObject({
  format: z.literal(SEMANTIC_FORMAT),
  version: z.string().min(1),
  files: z.object({ 'encoder.onnx': FileSchema, 'vocab.json': FileSchema, 'head.bin': FileSchema, 'fusion.json': FileSchema.optional(), 'attack.bin': FileSchema.optional() }),
  encoder: z.looseObject({
    max_tokens: z.number().int().positive(),
    reserved_ids: z.number().int().nonnegative(),
    max_unknown_share: z.number().min(0).max(1),
    /**
     * Present for an int8 encoder. `activations: 'per-run'`: one quantisation scale over the whole
     * input tensor (ONNX DynamicQuantizeLinear), so a text's embedding would depend on the texts
     * batched with it; such an encoder embeds one text per run.
     */
    quantization: z.looseObject({ weight_bits: z.number().int().positive(), activations: z.enum(['per-run']) }).optional(),
  }),
  head: z.looseObject({ hidden: z.number().int().positive(), input_scale: z.number().positive() }),
  calibration: z.looseObject({ harmful: Platt }),
  thresholds: z.object({ strict: ThresholdSchema, balanced: ThresholdSchema, permissive: ThresholdSchema }),
  attack: AttackSchema.optional(),
});
type SemanticManifest = z.infer<typeof ManifestSchema>;

/** The attack head's probabilities for one text. */
export type AttackProbs = { jailbreak: number; injection: number };

/** A loaded semantic head. */
export interface SemanticScorer {
  /** Model version (folder name). */
  readonly version: string;
  /** Execution provider the encoder runs on (`cpu` after a fallback). */
  readonly provider: string;
  /** The ids the encoder sees for a normalized text (clipped to max_tokens, never empty). */
  ids(normalizedText: string): number[];
  /**
   * Whether the head judges this text: the encoder's vocabulary is English, so a text most of whose
   * letters it cannot cover (another script) embeds to nearly the same vector whatever it says.
   */
  readable(normalizedText: string): boolean;
  /** L2-normalised 512-d sentence embeddings, one per text. */
  embed(normalizedTexts: readonly string[]): Promise<Float32Array[]>;
  /** Calibrated P(harmful request), one per normalized text (`normalize(text).text`); 0 where not {@link readable}. */
  harmful(normalizedTexts: readonly string[]): Promise<number[]>;
  /** As {@link harmful}, but null where the head does not read the text. */
  score(normalizedTexts: readonly string[]): Promise<(number | null)[]>;
  /** `text` with words split by stray spaces joined again where the encoder's vocabulary reads them better (see rejoin.ts). */
  rejoin(text: string): string;
  /** Whether the folder has an attack head (attack.bin). */
  readonly hasAttackHead: boolean;
  /**
   * Calibrated P(jailbreak) and P(injection) from the attack head, one per normalized text; null where
   * the encoder does not read the text or there is no attack head.
   */
  attack(normalizedTexts: readonly string[]): Promise<(AttackProbs | null)[]>;
  /**
   * Both heads from one embedding per text: null where the encoder does not read the text; `attack` null
   * without an attack head or where `withAttack[i]` is not true (the attack head is not computed there).
   */
  judge(normalizedTexts: readonly string[], withAttack?: readonly boolean[]): Promise<({ harmful: number; attack: AttackProbs | null } | null)[]>;
  /** How to combine this head with the analyzer and the lexical head (fusion.json), when shipped. */
  readonly fusion: HarmFusion | null;
  /** The thresholds of a policy preset: harmful, and jailbreak/injection when there is an attack head. */
  thresholds(preset: PolicyName): { harmful: number; jailbreak?: number; injection?: number };
  close(): Promise<void>;
}

export type SemanticOptions = {
  provider?: ProviderChoice;
  intraOpNumThreads?: number;
  batchSize?: number;
  /** Do not read fusion.json (for refitting it). */
  ignoreFusion?: boolean;
};

function readManifest(path: string): SemanticManifest {
  if (!existsSync(path)) throw new ModelError('MODEL_MISSING', path, `semantic model manifest not found: ${path}`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new ModelError('MODEL_CORRUPT', path, `semantic model manifest is not valid JSON: ${path}`, { cause });
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 4).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ModelError('MODEL_MISMATCH', path, `semantic model manifest ${path} is not ${SEMANTIC_FORMAT}: ${issues}`);
  }
  return parsed.data;
}

function readVocab(dir: string, m: SemanticManifest): VocabEntry[] {
  const path = join(dir, 'vocab.json');
  const vocab = JSON.parse(readVerifiedFile(dir, 'vocab.json', m.files['vocab.json']).toString('utf8')) as unknown;
  const ok = Array.isArray(vocab) && vocab.every((v) => Array.isArray(v) && typeof v[0] === 'string' && (v[1] === null || typeof v[1] === 'number'));
  if (!ok || (vocab as unknown[]).length <= m.encoder.reserved_ids) {
    throw new ModelError('MODEL_CORRUPT', path, `semantic vocabulary ${path} is not a list of [piece, score] pairs`);
  }
  return vocab as VocabEntry[];
}

/** fusion.json when the manifest lists it (size- and sha256-checked, schema-validated), else null. */
function readFusion(dir: string, m: SemanticManifest): HarmFusion | null {
  const file = m.files['fusion.json'];
  if (!file) return null;
  const path = join(dir, 'fusion.json');
  let json: unknown;
  try {
    json = JSON.parse(readVerifiedFile(dir, 'fusion.json', file).toString('utf8'));
  } catch (cause) {
    if (cause instanceof ModelError) throw cause;
    throw new ModelError('MODEL_CORRUPT', path, `semantic fusion ${path} is not valid JSON`, { cause });
  }
  const parsed = FusionSchema.safeParse(json);
  if (!parsed.success) throw new ModelError('MODEL_CORRUPT', path, `semantic fusion ${path} is invalid: ${parsed.error.issues[0]?.message ?? 'schema'}`);
  return parsed.data;
}

/** The first layer of a head: relu(W1 · (scale · e) + b1), written into `hidden` (`scaled` is scratch space). */
function hiddenLayer(e: Float32Array, scale: number, W1: Float32Array, b1: Float32Array, scaled: Float64Array, hidden: Float64Array): void {
  for (let k = 0; k < DIM; k++) scaled[k] = (e[k] as number) * scale;
  for (let h = 0; h < hidden.length; h++) {
    let s = b1[h] as number;
    const row = h * DIM;
    for (let k = 0; k < DIM; k++) s += (W1[row + k] as number) * (scaled[k] as number);
    hidden[h] = s > 0 ? s : 0;
  }
}

/** Platt scaling of a head's logit. */
const platt = (z: number, c: { a: number; b: number }): number => 1 / (1 + Math.exp(-(c.a * z + c.b)));

/**
 * The attack head when the manifest has one (attack.bin size- and sha256-checked): a two-layer MLP on
 * the embedding, as diffguard_train.attack_head specifies. Either both the file and the manifest's
 * `attack` section are there, or neither.
 */
function readAttackHead(dir: string, m: SemanticManifest): { probs: (e: Float32Array) => AttackProbs } | null {
  const file = m.files['attack.bin'];
  const spec = m.attack;
  if (!file && !spec) return null;
  const path = join(dir, 'attack.bin');
  if (!file || !spec) throw new ModelError('MODEL_MISMATCH', path, `semantic model ${dir}: attack.bin and the manifest's "attack" section come together`);
  const w = float32LE(readVerifiedFile(dir, 'attack.bin', file));
  const H = spec.hidden;
  if (w.length !== H * DIM + 3 * H + 2) {
    throw new ModelError('MODEL_CORRUPT', path, `semantic attack head ${path} has ${w.length} floats, the layout needs ${H * DIM + 3 * H + 2}`);
  }
  const W1 = w.subarray(0, H * DIM);
  const b1 = w.subarray(H * DIM, H * DIM + H);
  const W2 = w.subarray(H * DIM + H, H * DIM + 3 * H);
  const b2 = w.subarray(H * DIM + 3 * H);
  const { jailbreak: cj, injection: ci } = spec.calibration;
  const scale = spec.input_scale;
  const hidden = new Float64Array(H);
  const scaled = new Float64Array(DIM);
  return {
    probs(e: Float32Array): AttackProbs {
      hiddenLayer(e, scale, W1, b1, scaled, hidden);
      let zj = b2[0] as number;
      let zi = b2[1] as number;
      for (let h = 0; h < H; h++) {
        zj += (W2[h] as number) * (hidden[h] as number);
        zi += (W2[H + h] as number) * (hidden[h] as number);
      }
      return { jailbreak: platt(zj, cj), injection: platt(zi, ci) };
    },
  };
}

/** The first `n` code points of `text` (as the Python trainer clips). */
function firstCodePoints(text: string, n: number): string {
  if (text.length <= n) return text;
  let end = 0;
  let count = 0;
  for (const ch of text) {
    if (count++ === n) break;
    end += ch.length;
  }
  return text.slice(0, end);
}

/**
 * Loads a semantic model folder and opens its encoder session.
 * @throws ModelError naming the file when it is missing, corrupt, or does not match the format
 */
export async function createSemanticScorer(dir: string, options: SemanticOptions = {}): Promise<SemanticScorer> {
  const manifestPath = join(dir, 'manifest.json');
  const m = readManifest(manifestPath);
  const tokenizer = new SentenceTokenizer(readVocab(dir, m), m.encoder.reserved_ids);
  const H = m.head.hidden;
  const headPath = join(dir, 'head.bin');
  const head = float32LE(readVerifiedFile(dir, 'head.bin', m.files['head.bin']));
  if (head.length !== H * DIM + H + H + 1) {
    throw new ModelError('MODEL_CORRUPT', headPath, `semantic head ${headPath} has ${head.length} floats, the layout needs ${H * DIM + 2 * H + 1}`);
  }
  const W1 = head.subarray(0, H * DIM);
  const b1 = head.subarray(H * DIM, H * DIM + H);
  const w2 = head.subarray(H * DIM + H, H * DIM + 2 * H);
  const b2 = head[H * DIM + 2 * H] as number;
  const fusion = options.ignoreFusion ? null : readFusion(dir, m);
  const attackHead = readAttackHead(dir, m);
  const encoderBytes = readVerifiedFile(dir, 'encoder.onnx', m.files['encoder.onnx']);
  let session: ModelSession;
  try {
    session = await createSession(new Uint8Array(encoderBytes), { provider: options.provider ?? 'auto', ...(options.intraOpNumThreads ? { intraOpNumThreads: options.intraOpNumThreads } : {}) });
  } catch (e) {
    if (e instanceof ModelError) throw new ModelError(e.code, join(dir, 'encoder.onnx'), e.message.replace('<model bytes>', join(dir, 'encoder.onnx')), { cause: e });
    throw e;
  }
  if (!session.inputNames.includes('input_ids') || !session.inputNames.includes('attention_mask') || !session.outputNames.includes('embedding')) {
    await session.dispose();
    throw new ModelError('MODEL_MISMATCH', join(dir, 'encoder.onnx'), `semantic encoder ${join(dir, 'encoder.onnx')} lacks input_ids/attention_mask → embedding`);
  }
  const maxTokens = m.encoder.max_tokens;
  const scale = m.head.input_scale;
  const harmCalibration = m.calibration.harmful;
  // int8 at one text per run is still about 2x faster per token than float32 in planned batches (measured, one core).
  const batchSize = m.encoder.quantization ? 1 : Math.max(1, options.batchSize ?? 32);

  const encode = (text: string): { ids: number[]; readable: boolean } => {
    // 8 code points per token is more than any piece needs: clipping first changes none of the
    // first max_tokens ids and keeps a 5 MB prompt from a 5 MB Viterbi pass.
    const t = tokenizer.encodeCounted(firstCodePoints(text, maxTokens * 8));
    const clipped = t.ids.slice(0, maxTokens);
    return { ids: clipped.length > 0 ? clipped : [0], readable: t.unknownLetters <= m.encoder.max_unknown_share * t.letters };
  };
  const ids = (text: string): number[] => encode(text).ids;

  /**
   * Embeddings of token id lists (as {@link encode} makes them), in batches of similar length:
   * padding is paid for token by token (about 0.07 ms each on one core), a run costs a few tokens'
   * worth, so the batches are the partition that minimises both (measured on 3,000 CLI rows: the
   * greedy length-sorted batches of 16 ran 40% padding on the input and 140% on the cleaned texts).
   */
  const embedIds = async (all: readonly number[][]): Promise<Float32Array[]> => {
    const out: Float32Array[] = new Array<Float32Array>(all.length);
    for (const idx of planBatches(all.map((ids) => ids.length), { maxBatch: batchSize, maxTokens: MAX_BATCH_TOKENS, runCost: RUN_COST_TOKENS })) {
      const T = Math.max(...idx.map((i) => (all[i] as number[]).length));
      const X = new BigInt64Array(idx.length * T);
      const M = new Float32Array(idx.length * T);
      idx.forEach((i, j) => (all[i] as number[]).forEach((v, t) => {
        X[j * T + t] = BigInt(v);
        M[j * T + t] = 1;
      }));
      const r = await session.run({ input_ids: { data: X, dims: [idx.length, T] }, attention_mask: { data: M, dims: [idx.length, T] } });
      const e = r.embedding?.data as Float32Array;
      idx.forEach((i, j) => (out[i] = e.slice(j * DIM, (j + 1) * DIM)));
    }
    return out;
  };

  const scaled = new Float64Array(DIM);
  const hidden = new Float64Array(H);
  const probability = (e: Float32Array): number => {
    hiddenLayer(e, scale, W1, b1, scaled, hidden);
    let z = b2;
    for (let h = 0; h < H; h++) z += (hidden[h] as number) * (w2[h] as number);
    return platt(z, harmCalibration);
  };

  /** `f` of the embedding of each text the encoder reads; null for the others. */
  const onReadable = async <T>(texts: readonly string[], f: (e: Float32Array, i: number) => T): Promise<(T | null)[]> => {
    const out: (T | null)[] = texts.map(() => null);
    const encoded = texts.map(encode);
    const todo = encoded.flatMap((t, i) => (t.readable ? [i] : []));
    if (todo.length === 0) return out;
    const e = await embedIds(todo.map((i) => (encoded[i] as { ids: number[] }).ids));
    todo.forEach((i, k) => (out[i] = f(e[k] as Float32Array, i)));
    return out;
  };
  const score = (texts: readonly string[]): Promise<(number | null)[]> => onReadable(texts, (e) => probability(e));

  return {
    version: m.version,
    provider: session.provider,
    ids,
    readable: (text: string) => encode(text).readable,
    embed: (texts: readonly string[]) => embedIds(texts.map(ids)),
    score,
    rejoin: (text: string) => rejoinSplitWords(text, (w) => tokenizer.wordCost(w)),
    hasAttackHead: attackHead !== null,
    attack: async (texts: readonly string[]) => (attackHead ? onReadable(texts, (e) => attackHead.probs(e)) : texts.map(() => null)),
    judge: (texts: readonly string[], withAttack: readonly boolean[] = []) =>
      onReadable(texts, (e, i) => ({ harmful: probability(e), attack: attackHead && withAttack[i] ? attackHead.probs(e) : null })),
    async harmful(texts: readonly string[]): Promise<number[]> {
      return (await score(texts)).map((p) => p ?? 0);
    },
    fusion,
    thresholds(preset: PolicyName): { harmful: number; jailbreak?: number; injection?: number } {
      return { harmful: m.thresholds[preset].harmful, ...(attackHead ? m.attack!.thresholds[preset] : {}) };
    },
    close: () => session.dispose(),
  };
}
