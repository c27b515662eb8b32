// Delete a thread with its messages and jobs (its derived memories go first, through memory/delete).
// params: $projectId, $threadId
MATCH (t:Thread {id: $threadId, projectId: $projectId})
CALL (t) { OPTIONAL MATCH (j:IngestJob {threadId: t.id}) DETACH DELETE j RETURN count(j) AS jobs }
CALL (t) { OPTIONAL MATCH (m:Message {threadId: t.id}) DETACH DELETE m RETURN count(m) AS messages }
DETACH DELETE t
RETURN messages, jobs
