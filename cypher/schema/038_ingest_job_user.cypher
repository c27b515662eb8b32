// params: none
CREATE INDEX ingest_job_user IF NOT EXISTS FOR (j:IngestJob) ON (j.userId, j.createdAt)
