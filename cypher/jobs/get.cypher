// One ingest job of the project.
// params: $projectId, $jobId
MATCH (j:IngestJob {id: $jobId, projectId: $projectId})
RETURN j {.*} AS job
