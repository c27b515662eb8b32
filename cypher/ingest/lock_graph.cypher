// Take the user graph's write lock for the rest of the transaction (writes to one graph are
// serialised, so entity and relation upserts never race), and read what the writer needs of it.
// params: $projectId, $userId, $now
MATCH (u:User {id: $userId, projectId: $projectId})-[:HAS_GRAPH]->(g:UserGraph)
SET g.writtenAt = $now
WITH u, g
OPTIONAL MATCH (u)-[:IS]->(self:Entity)
RETURN g.id AS graphId, self.id AS selfId
