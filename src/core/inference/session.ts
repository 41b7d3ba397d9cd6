/**
 * @file The onnxruntime-node adapter: session creation, execution-provider choice, run, dispose.
 * This folder is the ONLY place in the app that imports onnxruntime-node (eslint enforces it);
 * callers get plain typed arrays in and out, never ORT types.
 *
 * Provider choice: in onnxruntime-node 1.30 asking for an execution provider that is not
 * installed THROWS (there is no silent fallback; TOOLCHAIN.md §2), so we try the preferred
 * provider, catch, and retry with CPU, recording why. A failure on CPU means the model itself
 * cannot be loaded (`MODEL_CORRUPT`).
 */
import { existsSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { ModelError, shortMessage } from './errors';

/** Which execution provider to ask for. `auto`: CUDA on Linux, DirectML on Windows, CoreML on macOS. */
export type ProviderChoice = 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml';

/** Options of {@link createSession}. */
export type CreateSessionOptions = {
  /** Default `auto`. */
  provider?: ProviderChoice;
  /** Threads for one operator; 1 keeps a CLI or worker pool predictable. Default: ORT's choice. */
  intraOpNumThreads?: number;
  /** Platform used for `auto` (tests only). Default `process.platform`. */
  platform?: NodeJS.Platform;
};

/** A tensor in or out of a session, as plain data (row-major). */
export type TensorData = {
  data: BigInt64Array | Float32Array | Int32Array;
  dims: readonly number[];
};

/** Name, element type and (possibly symbolic) shape of a graph input or output. */
export type TensorInfo = { name: string; type: string | null; shape: ReadonlyArray<number | string> };

/** An open ONNX session. */
export interface ModelSession {
  /** The provider actually in use (`cpu` after a fallback). */
  readonly provider: string;
  /** The provider that was asked for first (after resolving `auto`). */
  readonly requestedProvider: string;
  /** Why the requested provider was not used, when it was not. */
  readonly fallbackReason?: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** Runs the graph. Output data is copied out of ORT, so it stays valid after dispose. */
  run(feeds: Record<string, TensorData>): Promise<Record<string, TensorData>>;
  /** Releases the native session; later `run` calls reject. Idempotent. */
  dispose(): Promise<void>;
}

/** Resolves `auto` to the platform's preferred provider. */
export function preferredProvider(choice: ProviderChoice, platform: NodeJS.Platform = process.platform): string {
  if (choice !== 'auto') return choice;
  switch (platform) {
    case 'linux':
      return 'cuda';
    case 'win32':
      return 'dml';
    case 'darwin':
      return 'coreml';
    default:
      return 'cpu';
  }
}

function baseOptions(opts: CreateSessionOptions): ort.InferenceSession.SessionOptions {
  return {
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    interOpNumThreads: 1,
    ...(opts.intraOpNumThreads !== undefined ? { intraOpNumThreads: opts.intraOpNumThreads } : {}),
    // Fatal only: every failure we care about is thrown and reported instead (see createSession).
    logSeverityLevel: 4,
  };
}

async function open(
  model: string | Uint8Array,
  options: ort.InferenceSession.SessionOptions,
): Promise<ort.InferenceSession> {
  return typeof model === 'string'
    ? ort.InferenceSession.create(model, options)
    : ort.InferenceSession.create(model, options);
}

function tensorInfo(meta: readonly ort.InferenceSession.ValueMetadata[] | undefined, names: readonly string[]): TensorInfo[] {
  return names.map((name) => {
    const m = meta?.find((x) => x.name === name);
    return m && m.isTensor ? { name, type: m.type, shape: m.shape } : { name, type: null, shape: [] };
  });
}

/**
 * Opens an ONNX model (a path, or bytes already read and verified) on the preferred execution
 * provider, falling back to CPU with the reason recorded when that provider is unavailable.
 *
 * @throws {ModelError} `MODEL_MISSING` when a path does not exist; `MODEL_CORRUPT` when ORT
 *   cannot load the model on CPU.
 */
export async function createSession(model: string | Uint8Array, opts: CreateSessionOptions = {}): Promise<ModelSession> {
  const label = typeof model === 'string' ? model : '<model bytes>';
  if (typeof model === 'string' && !existsSync(model)) {
    throw new ModelError('MODEL_MISSING', model, `Model file missing: ${model}`);
  }
  // ORT's process-wide logger would print the failed dlopen of a missing CUDA provider straight to
  // the CLI's stderr; the error is thrown anyway and recorded as the fallback reason. This level
  // only takes effect before the first session of the process, so it is set on every call.
  ort.env.logLevel = 'fatal';
  const requested = preferredProvider(opts.provider ?? 'auto', opts.platform);
  let provider = requested;
  let fallbackReason: string | undefined;
  let session: ort.InferenceSession | undefined;

  if (requested !== 'cpu') {
    try {
      session = await open(model, { ...baseOptions(opts), executionProviders: [requested] });
    } catch (e) {
      fallbackReason = `${requested} unavailable: ${shortMessage(e)}`;
      provider = 'cpu';
    }
  }
  if (!session) {
    try {
      session = await open(model, { ...baseOptions(opts), executionProviders: ['cpu'] });
    } catch (e) {
      throw new ModelError('MODEL_CORRUPT', label, `ONNX Runtime cannot load ${label}: ${shortMessage(e)}`, { cause: e });
    }
  }

  const s = session;
  let disposed = false;
  return {
    provider,
    requestedProvider: requested,
    ...(fallbackReason !== undefined ? { fallbackReason } : {}),
    inputNames: [...s.inputNames],
    outputNames: [...s.outputNames],
    inputs: tensorInfo(s.inputMetadata, s.inputNames),
    outputs: tensorInfo(s.outputMetadata, s.outputNames),
    async run(feeds) {
      if (disposed) throw new Error('session disposed');
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) {
        const type = t.data instanceof BigInt64Array ? 'int64' : t.data instanceof Int32Array ? 'int32' : 'float32';
        ortFeeds[name] = new ort.Tensor(type, t.data, t.dims);
      }
      const out = await s.run(ortFeeds);
      const result: Record<string, TensorData> = {};
      for (const [name, value] of Object.entries(out)) {
        const data = value.data;
        if (data instanceof Float32Array || data instanceof BigInt64Array || data instanceof Int32Array) {
          result[name] = { data: data.slice(), dims: [...value.dims] };
        } else {
          throw new Error(`output ${name} has unsupported type ${value.type}`);
        }
        value.dispose?.();
      }
      return result;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await s.release();
    },
  };
}
