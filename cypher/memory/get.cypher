// Memories of users of the project by id (group memories have their own routes), with their
// entities and source messages, in no particular order.
// params: $projectId, $memoryIds
UNWIND $memoryIds AS memoryId
MATCH (m:Memory {id: memoryId, projectId: $projectId})
WHERE m.groupId IS NULL
RETURN m {.id, .userId, .text, .kind, .personalityId, .validAt, .invalidAt, .supersededBy, .confidence,
          .metadata, .source, .createdAt, .updatedAt, .graphId} AS memory,
       [(m)-[:ABOUT]->(e:Entity) | e {.id, .name, .type}] AS entities,
       [(m)-[:DERIVED_FROM]->(x:Message) | x.id] AS sourceMessageIds
