// End users' memberships of the group (users that are not members are skipped).
// params: $projectId, $groupId, $userIds
MATCH (g:Group {id: $groupId, projectId: $projectId})
UNWIND $userIds AS userId
MATCH (:User {id: userId, projectId: $projectId})-[r:MEMBER_OF]->(g)
DELETE r
RETURN count(r) AS removed
