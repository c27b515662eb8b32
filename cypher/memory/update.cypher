// Correct a memory's fields (the caller holds the user graph's lock); returns the values before the
// change for its history event.
// params: $projectId, $memoryId, $props, $now
MATCH (m:Memory {id: $memoryId, projectId: $projectId})
WHERE m.groupId IS NULL
WITH m, m {.text, .kind, .validAt, .invalidAt} AS before
SET m += $props, m.updatedAt = $now
RETURN before, m.id AS id, m.userId AS userId
