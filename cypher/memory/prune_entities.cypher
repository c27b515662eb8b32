// Entities of a user graph that nothing refers to any more (no memory about them, no relation, not
// the user themselves) are removed after memories are deleted.
// params: $projectId, $userId
MATCH (e:Entity {userId: $userId, projectId: $projectId})
WHERE NOT EXISTS { (e)<-[:ABOUT]-(:Memory) }
  AND NOT EXISTS { (e)-[]-(:Entity) }
  AND NOT EXISTS { (:User)-[:IS]->(e) }
DETACH DELETE e
RETURN count(e) AS pruned
