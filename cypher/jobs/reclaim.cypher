// Put jobs whose worker died (running, lease expired) back in the queue, due now.
// params: $now
MATCH (j:IngestJob)
WHERE j.status = 'running' AND j.leaseUntil < $now
SET j.status = 'queued', j.availableAt = $now, j.lease = null, j.leaseUntil = null
RETURN count(j) AS reclaimed
