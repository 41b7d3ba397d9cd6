/**
 * @file Public surface of the inference layer, the only folder that imports onnxruntime-node:
 * model-folder verification, sessions with execution-provider fallback, batching, errors.
 */
export { ModelError, isModelError, shortMessage } from './errors';
export { float32LE, latestModelDir, readVerifiedFile } from './files';
export type { ModelErrorCode } from './errors';
export { ModelManifestSchema, loadModelManifest } from './manifest';
export type { LoadedModelManifest, ModelManifest } from './manifest';
export { createSession, preferredProvider } from './session';
export type { CreateSessionOptions, ModelSession, ProviderChoice, TensorData, TensorInfo } from './session';
export { padBatch, planBatches } from './batch';
export type { BatchPlanOptions, PaddedBatch } from './batch';
export { checkSessionMatchesManifest, openModel } from './model';
export type { OpenModel } from './model';
