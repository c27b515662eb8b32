// Memory -[:ABOUT]-> the entities it is about.
// params: $links
UNWIND $links AS row
MATCH (m:Memory {id: row.memoryId})
MATCH (e:Entity {id: row.entityId})
MERGE (m)-[:ABOUT]->(e)
