// Mark ingest jobs succeeded, in the transaction that wrote what they derived (memory/writer).
// Fenced by the lease: a job taken over by another worker is skipped. A re-run keeps the first
// run's result: running a job twice changes nothing the second time.
// params: $results, $now
UNWIND $results AS r
MATCH (j:IngestJob {id: r.jobId})
WHERE j.lease = r.lease AND j.status = 'running'
SET j.status = 'succeeded', j.finishedAt = $now, j.error = null, j.result = coalesce(j.result, r.result),
    j.leaseUntil = null
RETURN j.id AS jobId
