// Everything retrieval ranks a user's memories by, valid or not: text, kind, times, vector, the
// entities each is about and the messages it came from.
// params: $projectId, $userId
MATCH (m:Memory {userId: $userId, projectId: $projectId})
RETURN m {.id, .userId, .text, .kind, .personalityId, .validAt, .invalidAt, .supersededBy, .confidence,
          .metadata, .source, .createdAt, .updatedAt, .slot, .subjectId, .embedding} AS memory,
       [(m)-[:ABOUT]->(e:Entity) | e.id] AS entityIds,
       [(m)-[:DERIVED_FROM]->(x:Message) | x.id] AS sourceMessageIds
