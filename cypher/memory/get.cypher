// One memory of the project, with its entities and source messages.
// params: $projectId, $memoryId
MATCH (m:Memory {id: $memoryId, projectId: $projectId})
RETURN m {.id, .userId, .text, .kind, .personalityId, .validAt, .invalidAt, .supersededBy, .confidence,
          .metadata, .source, .createdAt, .updatedAt, .graphId} AS memory,
       [(m)-[:ABOUT]->(e:Entity) | e {.id, .name, .type}] AS entities,
       [(m)-[:DERIVED_FROM]->(x:Message) | x.id] AS sourceMessageIds
