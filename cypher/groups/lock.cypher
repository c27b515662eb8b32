// Take the group's write lock (by writing updatedAt): membership changes of one group are serialised,
// so concurrent MERGEs never make a second MEMBER_OF edge.
// params: $projectId, $groupId, $now
MATCH (g:Group {id: $groupId, projectId: $projectId})
SET g.updatedAt = $now
RETURN g.id AS id
