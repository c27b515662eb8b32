// A user's entities, newest first, with relation and memory counts; optional type and substring.
// params: $projectId, $userId, $type, $q, $afterCreatedAt, $afterId, $limit
MATCH (e:Entity {userId: $userId, projectId: $projectId})
WHERE ($type IS NULL OR e.type = $type)
  AND ($q IS NULL OR e.key CONTAINS $q OR any(a IN coalesce(e.aliasKeys, []) WHERE a CONTAINS $q))
  AND ($afterCreatedAt IS NULL OR e.createdAt < $afterCreatedAt OR (e.createdAt = $afterCreatedAt AND e.id < $afterId))
WITH e
ORDER BY e.createdAt DESC, e.id DESC
LIMIT $limit
RETURN e {.id, .userId, .name, .type, .aliases, .createdAt, .updatedAt} AS entity,
       COUNT { (e)-[r]-(:Entity) WHERE r.invalidAt IS NULL } AS relations,
       COUNT { (e)<-[:ABOUT]-(:Memory) } AS memories
