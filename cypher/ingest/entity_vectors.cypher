// params: $ids
MATCH (e:Entity)
WHERE e.id IN $ids AND e.embedding IS NOT NULL
RETURN e.id AS id, e.name AS name, e.embedding AS embedding
