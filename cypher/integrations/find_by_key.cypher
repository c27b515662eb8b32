// The id of the integration with this key ("userId|provider" or "userId|provider|externalAccountId").
// params: $projectId, $integrationKey
MATCH (i:Integration {integrationKey: $integrationKey})
WHERE i.projectId = $projectId
RETURN i.id AS id
