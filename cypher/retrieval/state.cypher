// What every search, context and summary call reads first: the user, the version of their graph
// (the retrieval cache is valid while it is unchanged) and the groups they are a member of.
// params: $projectId, $userId
MATCH (u:User {id: $userId, projectId: $projectId})-[:HAS_GRAPH]->(g:UserGraph)
RETURN u {.id, .externalId, .email, .firstName, .lastName, .metadata, .summary, .summaryAt, .summaryMemoryIds,
          .summaryVersion} AS user,
       g.id AS graphId, coalesce(g.version, 0) AS version,
       [(u)-[:MEMBER_OF]->(grp:Group) | [grp.id, grp.name, coalesce(grp.version, 0)]] AS groups
