// Write a personality's changed fields ($props holds only settable keys; a null removes the property).
// The write takes the node's lock, so what it returns is safe to read-modify-write in the same transaction.
// params: $projectId, $personalityId, $props, $now
MATCH (p:Personality {id: $personalityId, projectId: $projectId})
SET p += $props, p.updatedAt = $now
RETURN p {.*} AS personality
