// One memory of a user of the project (group memories have their own routes), with its entities and
// source messages.
// params: $projectId, $memoryId
MATCH (m:Memory {id: $memoryId, projectId: $projectId})
WHERE m.groupId IS NULL
RETURN m {.id, .userId, .text, .kind, .personalityId, .validAt, .invalidAt, .supersededBy, .confidence,
          .metadata, .source, .createdAt, .updatedAt, .graphId} AS memory,
       [(m)-[:ABOUT]->(e:Entity) | e {.id, .name, .type}] AS entities,
       [(m)-[:DERIVED_FROM]->(x:Message) | x.id] AS sourceMessageIds
