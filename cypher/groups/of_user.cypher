// The groups a user of the project is a member of, with their versions (for the context endpoint).
// params: $projectId, $userId
MATCH (:User {id: $userId, projectId: $projectId})-[:MEMBER_OF]->(g:Group)
WHERE g.projectId = $projectId
RETURN g.id AS id, g.name AS name, coalesce(g.version, 0) AS version
ORDER BY g.name, g.id
