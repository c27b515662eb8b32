// Diagnostic view of a user's graph.
// params: $projectId, $userId
MATCH (u:User {id: $userId, projectId: $projectId})-[:HAS_GRAPH]->(g:UserGraph)
RETURN u.id AS userId, g.id AS graphId, g.createdAt AS createdAt,
       COUNT { (g)-[:HAS_MEMORY]->(:Memory) } AS memories,
       COUNT { (g)-[:HAS_ENTITY]->(:Entity) } AS entities,
       COUNT { (g)-[:HAS_ENTITY]->(:Entity)-[r]->(:Entity) } AS relations
