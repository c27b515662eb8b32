// Entities of one user graph that a batch's mentions may name: same normalised name, a shared
// alias, or (for people) the same first word. Resolution decides among them in Python.
// params: $graphId, $keys, $firsts
MATCH (:UserGraph {id: $graphId})-[:HAS_ENTITY]->(e:Entity)
WHERE e.key IN $keys
   OR any(k IN coalesce(e.aliasKeys, []) WHERE k IN $keys)
   OR (e.type = 'person' AND split(e.key, ' ')[0] IN $firsts)
RETURN e.id AS id, e.name AS name, e.type AS type, coalesce(e.aliases, []) AS aliases
