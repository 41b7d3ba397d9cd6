/**
 * @file Public surface of batch processing: the ordered streaming pipeline, the chunk processor,
 * the worker protocol and the worker pool.
 */
export { runPipeline, type PipelineOptions, type PipelineStats } from './pipeline';
export { processChunk, type ChunkRow } from './process-chunk';
export { BatchPool, BatchCancelledError, type BatchPoolOptions, type BatchWorkerHandle } from './pool';
export { serveBatchWorker, type WorkerPort, type OpenWorkerEngine } from './serve-worker';
export { serializeError, deserializeError, type WorkerInit, type WorkerRequest, type WorkerResponse, type SerializedError } from './protocol';
