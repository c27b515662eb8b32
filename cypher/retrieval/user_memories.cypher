// Everything retrieval ranks a user's memories by, valid or not: text, kind, times, vector, the
// entities each is about and the messages it came from (their words are searched with the memory's).
// params: $projectId, $userId
MATCH (m:Memory {userId: $userId, projectId: $projectId})
RETURN m {.id, .userId, .text, .kind, .personalityId, .validAt, .invalidAt, .supersededBy, .confidence,
          .metadata, .source, .createdAt, .updatedAt, .slot, .subjectId, .embedding} AS memory,
       [(m)-[:ABOUT]->(e:Entity) | e.id] AS entityIds,
       [(m)-[:DERIVED_FROM]->(x:Message) | x.id] AS sourceMessageIds,
       [(m)-[:DERIVED_FROM]->(x:Message) | x.content] AS sourceTexts
