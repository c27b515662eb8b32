// Delete one integration of a user of the project; no row if the user has no such integration.
// params: $projectId, $userId, $integrationId
MATCH (:User {id: $userId, projectId: $projectId})-[:HAS_INTEGRATION]->(i:Integration {id: $integrationId})
WITH i, i.id AS id
DETACH DELETE i
RETURN id
