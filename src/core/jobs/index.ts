/**
 * @file Public surface of batch jobs: the SQLite job store, the manager that runs jobs with
 * checkpoints, CSV preview/counting, and exports.
 */
export { JobStore, type JobRecord, type JobResultRow, type JobState, type JobSummary } from './job-store';
export { JobManager, previewCsv, countCsvRows, type JobManagerOptions, type JobStatus, type CsvPreview, type ChunkProcessor } from './job-manager';
export { exportJob, exportJobToString, type JobExportFormat, type JobExportOptions } from './job-export';
