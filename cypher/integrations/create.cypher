// Record an integration of a user of the project. A taken (user, provider, account) fails on the
// integrationKey constraint.
// params: $projectId, $userId, $integrationId, $provider, $externalAccountId, $integrationKey, $scopes, $metadata, $now
MATCH (u:User {id: $userId, projectId: $projectId})
CREATE (i:Integration {
  id: $integrationId, projectId: $projectId, userId: u.id, provider: $provider,
  externalAccountId: $externalAccountId, integrationKey: $integrationKey, scopes: $scopes,
  metadata: $metadata, createdAt: $now
})
CREATE (u)-[:HAS_INTEGRATION]->(i)
RETURN i {.*} AS integration
