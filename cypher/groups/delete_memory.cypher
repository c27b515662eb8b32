// Delete one memory of a group (with any history events) and bump the group's version; no row if the
// group has no such memory.
// params: $projectId, $groupId, $memoryId, $now
MATCH (g:Group {id: $groupId, projectId: $projectId})-[:HAS_MEMORY]->(m:Memory {id: $memoryId})
SET g.version = coalesce(g.version, 0) + 1, g.updatedAt = $now
WITH m, m.id AS id
CALL (m) {
  OPTIONAL MATCH (m)-[:HAS_EVENT]->(e:MemoryEvent)
  DETACH DELETE e
}
DETACH DELETE m
RETURN id
