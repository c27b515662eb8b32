// When the given memories began (validAt): an ending is never dated before it.
// params: $ids
UNWIND $ids AS id
MATCH (m:Memory {id: id})
RETURN m.id AS id, m.validAt AS validAt
