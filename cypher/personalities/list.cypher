// A page of the project's personalities, newest first, one page after the cursor position.
// params: $projectId, $afterCreatedAt, $afterId, $limit
MATCH (p:Personality {projectId: $projectId})
WHERE $afterCreatedAt IS NULL OR p.createdAt < $afterCreatedAt OR (p.createdAt = $afterCreatedAt AND p.id < $afterId)
RETURN p {.*} AS personality
ORDER BY p.createdAt DESC, p.id DESC
LIMIT $limit
