// The valid relations going out of the given entities, with the memories that state them and when
// they began.
// params: $sourceIds
MATCH (a:Entity)-[r]->(b:Entity)
WHERE a.id IN $sourceIds AND r.invalidAt IS NULL AND r.memoryIds IS NOT NULL
RETURN r.id AS id, type(r) AS type, a.id AS sourceId, a.name AS source, b.id AS targetId,
       b.name AS target, r.memoryIds AS memoryIds, r.invalidAt IS NULL AS valid, r.validAt AS validAt
