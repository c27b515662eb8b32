// The worker claims and reclaims jobs by status; metrics count them by status. A single-property
// index: the local graph server's planner uses it for `status = ...` (not a composite's prefix).
// params: none
CREATE INDEX ingest_job_state IF NOT EXISTS FOR (j:IngestJob) ON (j.status)
