/**
 * @file Public surface of the streaming batch I/O: readers (JSONL, CSV, lines), formatters and
 * output sinks. Hosts (the CLI, Electron main's batch jobs) import from here.
 */
export { textBytes, type ByteInput } from './bytes';
export { readLines, type Line, type LineOptions } from './lines';
export { readJsonlRows, parseJsonlLine, jsonlRecord, formatJsonl, type JsonlReadOptions } from './jsonl';
export { openCsv, CsvFormatter, RESULT_COLUMNS, TEXT_COLUMN_NAMES, type CsvSource, type CsvOpenOptions, type CsvFormatOptions } from './csv';
export { protectCell } from './csv-protect';
export { checkTextStart, detectDelimiter, stripUtf8Bom } from './sniff';
export { streamSink, fileSink, OutputError, type OutputSink } from './output';
export { InputError, MAX_ROW_BYTES, errorResult, type InputRow } from './types';
export { scanPartial, prepareResume, type PartialProgress } from './resume';
