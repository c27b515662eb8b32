// Delete memories with their history. Each relation they stated loses them as a source, and a
// relation no memory states any more goes with them.
// params: $projectId, $memoryIds
UNWIND $memoryIds AS memoryId
MATCH (m:Memory {id: memoryId, projectId: $projectId})
CALL (m) {
  MATCH (m)-[:ABOUT]->(:Entity)-[r]-(:Entity)
  WHERE m.id IN r.memoryIds
  WITH DISTINCT m, r
  SET r.memoryIds = [x IN r.memoryIds WHERE x <> m.id]
  WITH r
  WHERE size(r.memoryIds) = 0
  DELETE r
}
CALL (m) {
  MATCH (e:MemoryEvent {memoryId: m.id})
  DETACH DELETE e
}
DETACH DELETE m
RETURN count(*) AS deleted
