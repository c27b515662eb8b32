// params: none
CREATE INDEX ingest_job_thread IF NOT EXISTS FOR (j:IngestJob) ON (j.threadId)
