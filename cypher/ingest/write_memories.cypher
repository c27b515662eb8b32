// Create memories, or add a message to the sources of an existing one; provenance as DERIVED_FROM.
// params: $projectId, $userId, $graphId, $memories, $now
MATCH (g:UserGraph {id: $graphId})
UNWIND $memories AS row
MERGE (m:Memory {id: row.id})
ON CREATE SET m += row.props, m.projectId = $projectId, m.userId = $userId, m.graphId = $graphId,
              m.sourceMessageIds = [], m.createdAt = $now, m.updatedAt = $now
WITH g, m, row
SET m.sourceMessageIds = CASE
      WHEN row.messageId IS NULL OR row.messageId IN m.sourceMessageIds THEN m.sourceMessageIds
      ELSE m.sourceMessageIds + row.messageId END
MERGE (g)-[:HAS_MEMORY]->(m)
WITH m, row
OPTIONAL MATCH (message:Message {id: row.messageId})
FOREACH (_ IN CASE WHEN message IS NULL THEN [] ELSE [1] END | MERGE (m)-[:DERIVED_FROM]->(message))
