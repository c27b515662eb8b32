// Which of $userIds are users of the project.
// params: $projectId, $userIds
UNWIND $userIds AS userId
MATCH (u:User {id: userId})
WHERE u.projectId = $projectId
RETURN u.id AS id
