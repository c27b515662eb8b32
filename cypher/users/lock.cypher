// Take the user's write lock (by writing updatedAt) and read its current fields, for a read-modify-write.
// params: $projectId, $userId, $now
MATCH (u:User {id: $userId, projectId: $projectId})
SET u.updatedAt = $now
RETURN u {.*} AS user
