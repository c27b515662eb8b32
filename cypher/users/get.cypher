// One user of the project with its graph id and full counts.
// params: $projectId, $userId
MATCH (u:User {id: $userId, projectId: $projectId})
OPTIONAL MATCH (u)-[:HAS_GRAPH]->(g:UserGraph)
RETURN u {.*} AS user, g.id AS graphId,
       COUNT { (u)-[:HAS_THREAD]->(:Thread) } AS threads,
       COUNT { (u)-[:HAS_THREAD]->(:Thread)-[:HAS_MESSAGE]->(:Message) } AS messages,
       COUNT { (g)-[:HAS_MEMORY]->(m:Memory) WHERE m.invalidAt IS NULL } AS memories,
       COUNT { (g)-[:HAS_ENTITY]->(:Entity) } AS entities
