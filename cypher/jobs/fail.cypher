// A failed attempt: back to the queue after $retryAt, or `failed` for good once attempts run out.
// params: $jobId, $lease, $error, $retryAt, $maxAttempts, $now
MATCH (j:IngestJob {id: $jobId})
WHERE j.lease = $lease AND j.status = 'running'
SET j.error = $error, j.leaseUntil = null,
    j.status = CASE WHEN j.attempts >= $maxAttempts THEN 'failed' ELSE 'queued' END,
    j.availableAt = CASE WHEN j.attempts >= $maxAttempts THEN j.availableAt ELSE $retryAt END,
    j.finishedAt = CASE WHEN j.attempts >= $maxAttempts THEN $now ELSE null END
RETURN j.status AS status
