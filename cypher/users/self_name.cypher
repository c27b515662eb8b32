// The name of the user's own entity (who "I" is when the user has no first name), if there is one.
// params: $projectId, $userId
MATCH (:User {id: $userId, projectId: $projectId})-[:IS]->(e:Entity)
RETURN e.name AS name
LIMIT 1
