-- 0003: batch jobs (CSV cleaning from the desktop app). A job's `checkpoint` is the index of the
-- last input row whose result is committed; results and the checkpoint are written in one
-- transaction per chunk, so a job interrupted by a crash or quit resumes after `checkpoint`
-- without duplicating or losing rows. Released migrations are never edited.

CREATE TABLE batch_jobs (
  id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  -- The file's display name and where it is read from.
  name TEXT NOT NULL,
  source_path TEXT NOT NULL,
  -- JSON array of the input header; `text_column` is an index into it.
  header TEXT NOT NULL CHECK (json_valid(header)),
  text_column INTEGER NOT NULL CHECK (text_column >= 0),
  delimiter TEXT NOT NULL,
  policy TEXT,
  state TEXT NOT NULL CHECK (state IN ('running', 'paused', 'cancelled', 'done', 'failed')),
  -- Index of the last committed row; -1 before the first chunk.
  checkpoint INTEGER NOT NULL DEFAULT -1 CHECK (checkpoint >= -1),
  -- Number of data rows, NULL until counted.
  total INTEGER,
  error TEXT
) STRICT;

CREATE TABLE batch_results (
  job_id TEXT NOT NULL REFERENCES batch_jobs (id) ON DELETE CASCADE,
  row_index INTEGER NOT NULL CHECK (row_index >= 0),
  line INTEGER NOT NULL,
  -- JSON array of the input record's fields (aligned to the header).
  fields TEXT NOT NULL CHECK (json_valid(fields)),
  verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'cleaned', 'blocked', 'error')),
  risk_before REAL,
  -- The whole SanitizeResult as JSON.
  result TEXT NOT NULL CHECK (json_valid(result)),
  PRIMARY KEY (job_id, row_index)
) STRICT, WITHOUT ROWID;

CREATE INDEX batch_results_verdict ON batch_results (job_id, verdict, row_index);
