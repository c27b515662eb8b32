// Record the outcome of ingest steps: store what retrieval needs on the message and mark the job
// succeeded, in one transaction. Fenced by the lease: a job taken over by another worker is skipped.
// A re-run keeps what the first run stored (an embedding computed in another batch can differ in the
// last bits), and so does the job's result: running a job twice changes nothing the second time.
// params: $results, $now
UNWIND $results AS r
MATCH (j:IngestJob {id: r.jobId})
WHERE j.lease = r.lease AND j.status = 'running'
MATCH (m:Message {id: j.messageId})
SET m.embedding = coalesce(m.embedding, r.embedding),
    j.status = 'succeeded', j.finishedAt = $now, j.error = null, j.result = coalesce(j.result, r.result), j.leaseUntil = null
RETURN j.id AS jobId
