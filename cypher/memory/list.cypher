// A user's memories, newest first, with the entities each is about; one page after the cursor.
// params: $projectId, $userId, $kind, $personalityId, $entityId, $includeInvalid, $createdAfter, $afterCreatedAt, $afterId, $limit
MATCH (m:Memory {userId: $userId, projectId: $projectId})
WHERE ($kind IS NULL OR m.kind = $kind)
  AND ($personalityId IS NULL OR m.personalityId = $personalityId)
  AND ($includeInvalid OR m.invalidAt IS NULL)
  AND ($createdAfter IS NULL OR m.createdAt > $createdAfter)
  AND ($entityId IS NULL OR EXISTS { (m)-[:ABOUT]->(:Entity {id: $entityId}) })
  AND ($afterCreatedAt IS NULL OR m.createdAt < $afterCreatedAt OR (m.createdAt = $afterCreatedAt AND m.id < $afterId))
WITH m
ORDER BY m.createdAt DESC, m.id DESC
LIMIT $limit
RETURN m {.id, .userId, .text, .kind, .personalityId, .validAt, .invalidAt, .supersededBy, .confidence,
          .metadata, .source, .createdAt, .updatedAt} AS memory,
       [(m)-[:ABOUT]->(e:Entity) | e {.id, .name, .type}] AS entities,
       [(m)-[:DERIVED_FROM]->(x:Message) | x.id] AS sourceMessageIds
