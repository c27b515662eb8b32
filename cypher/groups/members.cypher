// A page of a group's members, most recently added first.
// params: $projectId, $groupId, $afterSince, $afterId, $limit
MATCH (g:Group {id: $groupId, projectId: $projectId})<-[r:MEMBER_OF]-(u:User)
WHERE $afterSince IS NULL OR r.since < $afterSince OR (r.since = $afterSince AND u.id < $afterId)
RETURN u.id AS userId, u.externalId AS externalId, r.since AS since
ORDER BY r.since DESC, u.id DESC
LIMIT $limit
