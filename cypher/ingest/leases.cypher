// The jobs of a batch that this worker still holds (a job whose lease expired belongs to another).
// params: $jobs
UNWIND $jobs AS job
MATCH (j:IngestJob {id: job.id})
WHERE j.lease = job.lease AND j.status = 'running'
RETURN j.id AS id
