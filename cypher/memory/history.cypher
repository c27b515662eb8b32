// Every change of one memory, oldest first.
// params: $projectId, $memoryId
MATCH (m:Memory {id: $memoryId, projectId: $projectId})
WHERE m.groupId IS NULL
OPTIONAL MATCH (m)-[:HAS_EVENT]->(e:MemoryEvent)
WITH m, e
ORDER BY e.at, e.key
RETURN m.id AS memoryId, collect(e {.type, .at, .messageId, .before, .after, .by}) AS events
