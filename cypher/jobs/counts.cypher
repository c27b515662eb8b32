// Jobs by status across the whole database (queue length for metrics and benchmarks).
// params: none
MATCH (j:IngestJob)
WHERE j.status IN ['queued', 'running']
RETURN j.status AS status, count(j) AS n
