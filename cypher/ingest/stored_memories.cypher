// Memories that already have one of the given keys (the same fact, said before).
// params: $keys
UNWIND $keys AS key
MATCH (m:Memory {memoryKey: key})
RETURN key, m.id AS id, m.invalidAt IS NULL AS valid, [(m)-[:DERIVED_FROM]->(x:Message) | x.id] AS sources
