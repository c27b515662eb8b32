// A user's ingested messages (those with sentence vectors): what verbatim excerpts are chosen from.
// params: $projectId, $userId
MATCH (x:Message {userId: $userId, projectId: $projectId})
WHERE x.embeddings IS NOT NULL
RETURN x.id AS id, x.threadId AS threadId, x.seq AS seq, x.content AS content, x.speaker AS speaker,
       x.createdAt AS createdAt, x.personalityId AS personalityId, x.embeddings AS embeddings
