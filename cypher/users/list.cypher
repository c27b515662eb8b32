// A page of the project's users, newest first, with every filter of GET /v1/users.
// $metadataAlternatives is a list of lists: each inner list holds the encodings one filter accepts.
// params: $projectId, $createdAfter, $createdBefore, $externalId, $email, $q, $metadataAlternatives, $afterCreatedAt, $afterId, $limit
MATCH (u:User {projectId: $projectId})
WHERE ($createdAfter IS NULL OR u.createdAt > $createdAfter)
  AND ($createdBefore IS NULL OR u.createdAt < $createdBefore)
  AND ($externalId IS NULL OR u.externalId = $externalId)
  AND ($email IS NULL OR toLower(u.email) = $email)
  AND ($q IS NULL OR toLower(coalesce(u.firstName, '') + ' ' + coalesce(u.lastName, '') + ' ' +
                               coalesce(u.email, '') + ' ' + coalesce(u.externalId, '')) CONTAINS $q)
  AND all(alternatives IN $metadataAlternatives WHERE any(pair IN alternatives WHERE pair IN u.metadataPairs))
  AND ($afterCreatedAt IS NULL OR u.createdAt < $afterCreatedAt OR (u.createdAt = $afterCreatedAt AND u.id < $afterId))
WITH u
ORDER BY u.createdAt DESC, u.id DESC
LIMIT $limit
OPTIONAL MATCH (u)-[:HAS_GRAPH]->(g:UserGraph)
RETURN u {.*} AS user, g.id AS graphId,
       COUNT { (u)-[:HAS_THREAD]->(:Thread) } AS threads,
       COUNT { (g)-[:HAS_MEMORY]->(m:Memory) WHERE m.invalidAt IS NULL } AS memories
ORDER BY u.createdAt DESC, u.id DESC
