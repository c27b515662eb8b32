// The candidate key for a presented token; the caller compares hashes in constant time.
// params: $prefix
MATCH (k:ApiKey {prefix: $prefix})
WHERE k.revokedAt IS NULL
RETURN k.id AS id, k.projectId AS projectId, k.hash AS hash
