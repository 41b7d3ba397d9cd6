/**
 * @file Public surface of the learned analyzer: the ONNX-backed `Analyzer`, its byte tokenizer,
 * span extraction and per-policy thresholds.
 */
export { createOnnxAnalyzer } from './analyzer';
export type { AnalyzeOptions, AnalyzerStats, OnnxAnalyzer, OnnxAnalyzerOptions, TextScores } from './analyzer';
export { loadAnalyzerThresholds } from './thresholds';
export type { AnalyzerThresholds } from './thresholds';
export { SPAN_LABELS, MAX_MERGE_GAP_BYTES, snapToWords, spansToDetections } from './spans';
export type { SpanLabelInfo } from './spans';
export { byteRangeToUtf16, byteWindows, encodeUtf8, tokenize } from './tokenizer';
export type { ByteTokenizerConfig, ByteWindow, Utf8Text } from './tokenizer';
