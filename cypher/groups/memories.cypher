// A page of a group's memories, newest first, optionally of one kind.
// params: $projectId, $groupId, $kind, $afterCreatedAt, $afterId, $limit
MATCH (g:Group {id: $groupId, projectId: $projectId})-[:HAS_MEMORY]->(m:Memory)
WHERE ($kind IS NULL OR m.kind = $kind)
  AND ($afterCreatedAt IS NULL OR m.createdAt < $afterCreatedAt OR (m.createdAt = $afterCreatedAt AND m.id < $afterId))
RETURN m {.id, .groupId, .text, .kind, .validAt, .invalidAt, .confidence, .source, .createdAt, .updatedAt} AS memory
ORDER BY m.createdAt DESC, m.id DESC
LIMIT $limit
