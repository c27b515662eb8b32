// Everything retrieval ranks a user's memories by, valid or not: text, kind, times, slot, vector.
// (The entities and messages of each come by separate statements: one flat read each is several
// times faster on the local graph server than pattern comprehensions per memory.)
// params: $projectId, $userId
MATCH (m:Memory {userId: $userId, projectId: $projectId})
RETURN m {.id, .userId, .text, .kind, .personalityId, .validAt, .invalidAt, .supersededBy, .confidence,
          .metadata, .source, .createdAt, .updatedAt, .slot, .subjectId, .embedding} AS memory
