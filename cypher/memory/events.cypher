// History events of memories (created, restated, superseded, updated, invalidated), each once.
// params: $userId, $events
UNWIND $events AS row
MATCH (m:Memory {id: row.memoryId})
MERGE (e:MemoryEvent {key: row.key})
ON CREATE SET e += row.props, e.memoryId = m.id, e.userId = $userId
MERGE (m)-[:HAS_EVENT]->(e)
