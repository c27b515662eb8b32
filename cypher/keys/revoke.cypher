// Revoke a key (kept for the audit trail). Refused when it is the project's last active key.
// params: $projectId, $keyId, $now
MATCH (k:ApiKey {id: $keyId, projectId: $projectId})
WITH k, COUNT { MATCH (o:ApiKey {projectId: $projectId}) WHERE o.revokedAt IS NULL AND o.id <> k.id } AS others
FOREACH (_ IN CASE WHEN k.revokedAt IS NULL AND others > 0 THEN [1] ELSE [] END | SET k.revokedAt = $now)
RETURN k {.id, .name, .prefix, .createdAt, .revokedAt} AS key, others
