// Relations that are no longer true: kept, with when they ended and the memory that ended them.
// params: $ended
UNWIND $ended AS row
MATCH (:Entity {id: row.sourceId})-[r]->(:Entity {id: row.targetId})
WHERE r.id = row.id AND r.invalidAt IS NULL
SET r.invalidAt = row.at, r.supersededBy = row.by
