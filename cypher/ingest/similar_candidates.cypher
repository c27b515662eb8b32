// The most recently touched entities of the given types with their name vectors, for resolution
// by meaning ("NYC" ~ "New York City").
// params: $graphId, $types, $limit
MATCH (:UserGraph {id: $graphId})-[:HAS_ENTITY]->(e:Entity)
WHERE e.type IN $types AND e.embedding IS NOT NULL
RETURN e.id AS id, e.name AS name, e.type AS type, coalesce(e.aliases, []) AS aliases,
       e.embedding AS embedding
ORDER BY e.updatedAt DESC
LIMIT $limit
