// Create a user and its user graph in one transaction. A taken externalKey fails on its constraint.
// params: $projectId, $userId, $graphId, $externalId, $externalKey, $email, $firstName, $lastName, $metadata, $metadataPairs, $now
CREATE (u:User {
  id: $userId, projectId: $projectId, externalId: $externalId, externalKey: $externalKey,
  email: $email, firstName: $firstName, lastName: $lastName,
  metadata: $metadata, metadataPairs: $metadataPairs, createdAt: $now, updatedAt: $now
})
CREATE (g:UserGraph {id: $graphId, userId: $userId, projectId: $projectId, createdAt: $now})
CREATE (u)-[:HAS_GRAPH]->(g)
RETURN u {.*} AS user, g.id AS graphId
