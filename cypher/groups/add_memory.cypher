// Add a memory to a group and bump the group's version (readers cache a group's memories by version).
// Group memories carry groupId and never userId or graphId: no user's list, stats or graph shows them.
// params: $projectId, $groupId, $memoryId, $text, $kind, $embedding, $now
MATCH (g:Group {id: $groupId, projectId: $projectId})
SET g.version = coalesce(g.version, 0) + 1, g.updatedAt = $now
CREATE (m:Memory {
  id: $memoryId, projectId: $projectId, groupId: g.id, text: $text, kind: $kind, embedding: $embedding,
  confidence: 1.0, source: 'manual', validAt: $now, createdAt: $now, updatedAt: $now
})
CREATE (g)-[:HAS_MEMORY]->(m)
RETURN m {.id, .groupId, .text, .kind, .validAt, .invalidAt, .confidence, .source, .createdAt, .updatedAt} AS memory
