// Forget every stored response that names one of $ids (a deleted thread, memory or group, or the
// thread a deleted memory came from): a replay must not hand back what was deleted. Records stored
// before `subjects` existed are matched by their body.
// params: $projectId, $ids
MATCH (i:IdempotencyKey {projectId: $projectId})
WHERE any(id IN $ids WHERE id IN coalesce(i.subjects, []) OR coalesce(i.body, '') CONTAINS id)
DELETE i
RETURN count(i) AS forgotten
