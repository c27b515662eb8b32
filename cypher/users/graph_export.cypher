// A user's whole graph for visualisation: entities, memories, relations and ABOUT edges.
// params: $projectId, $userId
MATCH (u:User {id: $userId, projectId: $projectId})-[:HAS_GRAPH]->(g:UserGraph)
RETURN u.id AS userId, g.id AS graphId,
       [(u)-[:IS]->(s:Entity) | s.id] AS self,
       [(g)-[:HAS_ENTITY]->(e:Entity) | e {.id, .name, .type, .aliases}] AS entities,
       [(g)-[:HAS_MEMORY]->(m:Memory) | m {.id, .text, .kind, .validAt, .invalidAt, .personalityId}] AS memories,
       [(g)-[:HAS_ENTITY]->(a:Entity)-[r]->(b:Entity) | {id: r.id, type: type(r), source: a.id, target: b.id,
         label: r.label, validAt: r.validAt, invalidAt: r.invalidAt}] AS relations,
       [(g)-[:HAS_MEMORY]->(m:Memory)-[:ABOUT]->(e:Entity) | {source: m.id, target: e.id}] AS about,
       [(g)-[:HAS_MEMORY]->(m:Memory)-[:SUPERSEDED_BY]->(n:Memory) | {source: m.id, target: n.id}] AS supersededBy
