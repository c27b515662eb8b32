// Correct a memory's fields (a change of its user graph or group: its version moves); returns the values
// before the change for its history event.
// params: $projectId, $memoryId, $props, $now
MATCH (m:Memory {id: $memoryId, projectId: $projectId})
WITH m, m {.text, .kind, .validAt, .invalidAt} AS before
SET m += $props, m.updatedAt = $now
WITH m, before
FOREACH (g IN [(owner:UserGraph)-[:HAS_MEMORY]->(m) | owner] | SET g.version = coalesce(g.version, 0) + 1)
FOREACH (grp IN [(owner:Group)-[:HAS_MEMORY]->(m) | owner] | SET grp.version = coalesce(grp.version, 0) + 1)
RETURN before, m.id AS id, m.userId AS userId
