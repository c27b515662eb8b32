// Delete a group with its memories and memberships (the users stay). The version is bumped first so
// that a reader holding the old version sees a change even before it notices the group is gone.
// Group memories have no history events of their own, but any written to them go with them.
// params: $projectId, $groupId
MATCH (g:Group {id: $groupId, projectId: $projectId})
SET g.version = coalesce(g.version, 0) + 1
WITH g
CALL (g) {
  OPTIONAL MATCH (m:Memory {groupId: g.id})-[:HAS_EVENT]->(e:MemoryEvent)
  WHERE m.projectId = $projectId
  DETACH DELETE e
  RETURN count(e) AS events
}
CALL (g) {
  OPTIONAL MATCH (m:Memory {groupId: g.id})
  WHERE m.projectId = $projectId
  DETACH DELETE m
  RETURN count(m) AS memories
}
CALL (g) {
  OPTIONAL MATCH (:User)-[r:MEMBER_OF]->(g)
  DELETE r
  RETURN count(r) AS members
}
DETACH DELETE g
RETURN memories, members
