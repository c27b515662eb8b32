// Delete a thread with its messages and jobs, and the memories derived only from its messages.
// params: $projectId, $threadId
MATCH (t:Thread {id: $threadId, projectId: $projectId})
CALL (t) {
  OPTIONAL MATCH (mem:Memory)-[:DERIVED_FROM]->(:Message {threadId: t.id})
  WITH DISTINCT mem
  WHERE mem IS NOT NULL AND NOT EXISTS { (mem)-[:DERIVED_FROM]->(o:Message) WHERE o.threadId <> t.id }
  OPTIONAL MATCH (mem)-[:HAS_EVENT]->(event:MemoryEvent)
  DETACH DELETE event, mem
  RETURN count(DISTINCT mem) AS memories
}
CALL (t) { OPTIONAL MATCH (j:IngestJob {threadId: t.id}) DETACH DELETE j RETURN count(j) AS jobs }
CALL (t) { OPTIONAL MATCH (m:Message {threadId: t.id}) DETACH DELETE m RETURN count(m) AS messages }
DETACH DELETE t
RETURN messages, jobs, memories
