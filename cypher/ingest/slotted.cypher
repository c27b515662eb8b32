// Valid memories that fill one of the given slots of a user graph (`graphId|slot`), with the name of
// the entity the slot belongs to: a new memory filling the same slot of the same subject ends them.
// params: $slotKeys
UNWIND $slotKeys AS slotKey
MATCH (m:Memory {slotKey: slotKey})
WHERE m.invalidAt IS NULL
OPTIONAL MATCH (s:Entity {id: m.subjectId})
RETURN m.id AS id, m.slot AS slot, m.text AS text, coalesce(s.name, '') AS subject
