// Create a thread under a user of the project, optionally with a personality (checked by the caller).
// params: $projectId, $userId, $threadId, $name, $personalityId, $metadata, $now
MATCH (u:User {id: $userId, projectId: $projectId})
OPTIONAL MATCH (p:Personality {id: $personalityId, projectId: $projectId})
CREATE (t:Thread {
  id: $threadId, projectId: $projectId, userId: $userId, name: $name, personalityId: $personalityId,
  status: 'active', metadata: $metadata, messageCount: 0, createdAt: $now, updatedAt: $now, activityAt: $now
})
CREATE (u)-[:HAS_THREAD]->(t)
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | CREATE (t)-[:WITH]->(p))
RETURN t {.*} AS thread
