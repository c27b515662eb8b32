// Make users of the project members of the group; existing memberships stay as they are.
// params: $projectId, $groupId, $userIds, $now
MATCH (g:Group {id: $groupId, projectId: $projectId})
UNWIND $userIds AS userId
MATCH (u:User {id: userId, projectId: $projectId})
MERGE (u)-[r:MEMBER_OF]->(g)
ON CREATE SET r.since = $now
RETURN count(r) AS members
