// A user's entities (names and aliases, to find them in a query) and which one is the user.
// params: $projectId, $userId
MATCH (e:Entity {userId: $userId, projectId: $projectId})
RETURN e.id AS id, e.name AS name, e.type AS type, coalesce(e.aliases, []) AS aliases,
       EXISTS { (:User {id: $userId})-[:IS]->(e) } AS isSelf
