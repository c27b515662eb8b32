// A page of a user's integrations, newest first, optionally of one provider.
// params: $projectId, $userId, $provider, $afterCreatedAt, $afterId, $limit
MATCH (:User {id: $userId, projectId: $projectId})-[:HAS_INTEGRATION]->(i:Integration)
WHERE ($provider IS NULL OR i.provider = $provider)
  AND ($afterCreatedAt IS NULL OR i.createdAt < $afterCreatedAt OR (i.createdAt = $afterCreatedAt AND i.id < $afterId))
RETURN i {.*} AS integration
ORDER BY i.createdAt DESC, i.id DESC
LIMIT $limit
