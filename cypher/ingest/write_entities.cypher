// Create or update entities (ids decided by resolution); a vector is kept from the first write.
// params: $projectId, $userId, $graphId, $entities, $now
MATCH (g:UserGraph {id: $graphId})
UNWIND $entities AS row
MERGE (e:Entity {id: row.id})
ON CREATE SET e.projectId = $projectId, e.userId = $userId, e.graphId = $graphId, e.createdAt = $now,
              e.embedding = row.embedding
SET e += row.props, e.updatedAt = $now
MERGE (g)-[:HAS_ENTITY]->(e)
