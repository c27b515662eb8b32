// Memories contradicted by a newer one: `invalidAt`, `supersededBy` and an edge to the newer one.
// params: $superseded, $now
UNWIND $superseded AS row
MATCH (old:Memory {id: row.memoryId})
MATCH (new:Memory {id: row.by})
WITH old, new, row
WHERE old.invalidAt IS NULL
SET old.invalidAt = row.at, old.supersededBy = new.id, old.updatedAt = $now
MERGE (old)-[:SUPERSEDED_BY]->(new)
