// Correct a memory's fields (a change of the user graph: its version moves); returns the values
// before the change for its history event.
// params: $projectId, $memoryId, $props, $now
MATCH (m:Memory {id: $memoryId, projectId: $projectId})
WHERE m.groupId IS NULL
WITH m, m {.text, .kind, .validAt, .invalidAt} AS before
SET m += $props, m.updatedAt = $now
WITH m, before
FOREACH (g IN [(owner:UserGraph)-[:HAS_MEMORY]->(m) | owner] | SET g.version = coalesce(g.version, 0) + 1)
RETURN before, m.id AS id, m.userId AS userId
