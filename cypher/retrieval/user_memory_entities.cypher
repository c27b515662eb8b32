// Which entities each of a user's memories is about.
// params: $projectId, $userId
MATCH (m:Memory {userId: $userId, projectId: $projectId})-[:ABOUT]->(e:Entity)
RETURN m.id AS memoryId, e.id AS entityId
