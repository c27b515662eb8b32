// Create memories, or add a message to the sources of an existing one: provenance is DERIVED_FROM.
// params: $projectId, $userId, $graphId, $memories, $now
MATCH (g:UserGraph {id: $graphId})
UNWIND $memories AS row
MERGE (m:Memory {id: row.id})
ON CREATE SET m += row.props, m.projectId = $projectId, m.userId = $userId, m.graphId = $graphId,
              m.createdAt = $now, m.updatedAt = $now
MERGE (g)-[:HAS_MEMORY]->(m)
WITH m, row
OPTIONAL MATCH (message:Message {id: row.messageId})
FOREACH (_ IN CASE WHEN message IS NULL THEN [] ELSE [1] END | MERGE (m)-[:DERIVED_FROM]->(message))
