// Forget every stored response about a user being deleted: those that name the user or one of
// their threads (an append's response names only its thread). Run before the user is deleted.
// params: $projectId, $userId
OPTIONAL MATCH (t:Thread {userId: $userId})
WITH [$userId] + collect(t.id) AS ids
MATCH (i:IdempotencyKey {projectId: $projectId})
WHERE any(id IN ids WHERE id IN coalesce(i.subjects, []) OR coalesce(i.body, '') CONTAINS id)
DELETE i
RETURN count(i) AS forgotten
