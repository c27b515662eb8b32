// Record the outcome of ingest steps: store what retrieval needs on the message and mark the job
// succeeded, in one transaction. Fenced by the lease: a job taken over by another worker is skipped.
// Setting the same values again changes nothing, so a re-run is harmless.
// params: $results, $now
UNWIND $results AS r
MATCH (j:IngestJob {id: r.jobId})
WHERE j.lease = r.lease AND j.status = 'running'
MATCH (m:Message {id: j.messageId})
SET m.embedding = r.embedding,
    j.status = 'succeeded', j.finishedAt = $now, j.error = null, j.result = r.result, j.leaseUntil = null
RETURN j.id AS jobId
