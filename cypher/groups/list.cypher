// A page of the project's groups, newest first, optionally those whose name contains $q (lower-case).
// params: $projectId, $q, $afterCreatedAt, $afterId, $limit
MATCH (g:Group {projectId: $projectId})
WHERE ($q IS NULL OR toLower(g.name) CONTAINS $q)
  AND ($afterCreatedAt IS NULL OR g.createdAt < $afterCreatedAt OR (g.createdAt = $afterCreatedAt AND g.id < $afterId))
WITH g
ORDER BY g.createdAt DESC, g.id DESC
LIMIT $limit
RETURN g {.*} AS group,
       COUNT { (:User)-[:MEMBER_OF]->(g) } AS memberCount,
       COUNT { (g)-[:HAS_MEMORY]->(:Memory) } AS memoryCount
ORDER BY g.createdAt DESC, g.id DESC
