// A project's keys, newest first, one page after the cursor position.
// params: $projectId, $afterCreatedAt, $afterId, $limit
MATCH (k:ApiKey {projectId: $projectId})
WHERE $afterCreatedAt IS NULL OR k.createdAt < $afterCreatedAt OR (k.createdAt = $afterCreatedAt AND k.id < $afterId)
RETURN k {.id, .name, .prefix, .createdAt, .revokedAt} AS key
ORDER BY k.createdAt DESC, k.id DESC
LIMIT $limit
