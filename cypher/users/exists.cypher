// Whether the project has this user (a cheap check before listing what is theirs).
// params: $projectId, $userId
MATCH (u:User {id: $userId, projectId: $projectId})
RETURN u.id AS id
