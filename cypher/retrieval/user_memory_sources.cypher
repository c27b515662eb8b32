// The messages each of a user's memories came from, with their words (searched with the memory's).
// params: $projectId, $userId
MATCH (m:Memory {userId: $userId, projectId: $projectId})-[:DERIVED_FROM]->(x:Message)
RETURN m.id AS memoryId, x.id AS messageId, x.content AS content
