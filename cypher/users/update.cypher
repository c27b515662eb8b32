// Write a user's changed fields ($props holds only settable keys; a null removes the property).
// params: $projectId, $userId, $props
MATCH (u:User {id: $userId, projectId: $projectId})
SET u += $props
RETURN u.id AS id
