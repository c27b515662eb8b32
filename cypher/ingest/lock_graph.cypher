// Take the user graph's write lock for the rest of the transaction (writes to one graph are
// serialised, so entity and relation upserts never race), and read what the writer needs of it.
// `version` counts the graph's changes: retrieval caches a user's index while it is unchanged.
// params: $projectId, $userId, $now
MATCH (u:User {id: $userId, projectId: $projectId})-[:HAS_GRAPH]->(g:UserGraph)
SET g.writtenAt = $now, g.version = coalesce(g.version, 0) + 1
WITH u, g
OPTIONAL MATCH (u)-[:IS]->(self:Entity)
RETURN g.id AS graphId, self.id AS selfId, self.name AS selfName
