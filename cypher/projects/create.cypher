// Create a project together with its first API key.
// params: $projectId, $name, $keyId, $keyName, $prefix, $hash, $now
CREATE (p:Project {id: $projectId, name: $name, createdAt: $now})
CREATE (k:ApiKey {id: $keyId, projectId: $projectId, name: $keyName, prefix: $prefix, hash: $hash, createdAt: $now})
CREATE (k)-[:OF]->(p)
RETURN p {.id, .name, .createdAt} AS project, k {.id, .name, .prefix, .createdAt, .revokedAt} AS key
