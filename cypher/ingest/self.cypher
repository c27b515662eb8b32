// The user is an entity of their own graph too.
// params: $userId, $entityId
MATCH (u:User {id: $userId})
MATCH (e:Entity {id: $entityId})
MERGE (u)-[:IS]->(e)
