// Add an API key to an existing project.
// params: $projectId, $keyId, $name, $prefix, $hash, $now
MATCH (p:Project {id: $projectId})
CREATE (k:ApiKey {id: $keyId, projectId: $projectId, name: $name, prefix: $prefix, hash: $hash, createdAt: $now})
CREATE (k)-[:OF]->(p)
RETURN k {.id, .name, .prefix, .createdAt, .revokedAt} AS key
