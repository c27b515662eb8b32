// Memories of the project by id, with their entities and source messages (in no particular order).
// params: $projectId, $memoryIds
UNWIND $memoryIds AS memoryId
MATCH (m:Memory {id: memoryId, projectId: $projectId})
RETURN m {.id, .userId, .text, .kind, .personalityId, .validAt, .invalidAt, .supersededBy, .confidence,
          .metadata, .source, .createdAt, .updatedAt, .graphId} AS memory,
       [(m)-[:ABOUT]->(e:Entity) | e {.id, .name, .type}] AS entities,
       [(m)-[:DERIVED_FROM]->(x:Message) | x.id] AS sourceMessageIds
