// Finish a merge: memories move to the kept entity, which takes the other's names as aliases (and
// the user's IS edge, if it was that one); then the merged entity goes with its old relations.
// params: $entityId, $intoId, $aliases, $aliasKeys, $now
MATCH (e:Entity {id: $entityId})
MATCH (into:Entity {id: $intoId})
SET into.aliases = $aliases, into.aliasKeys = $aliasKeys, into.updatedAt = $now
WITH e, into
CALL (e, into) {
  MATCH (m:Memory)-[:ABOUT]->(e)
  MERGE (m)-[:ABOUT]->(into)
}
CALL (e, into) {
  MATCH (u:User)-[:IS]->(e)
  MERGE (u)-[:IS]->(into)
}
DETACH DELETE e
RETURN into.id AS id
