// The valid typed relations between a user's entities: the graph neighbourhood retrieval walks.
// params: $projectId, $userId
MATCH (a:Entity {userId: $userId, projectId: $projectId})-[r]->(b:Entity)
WHERE r.invalidAt IS NULL
RETURN a.id AS source, type(r) AS type, r.label AS label, b.id AS target, r.validAt AS validAt,
       coalesce(r.memoryIds, []) AS memoryIds
