// The worker claims jobs by status and due time.
// params: none
CREATE INDEX ingest_job_status IF NOT EXISTS FOR (j:IngestJob) ON (j.status, j.availableAt)
