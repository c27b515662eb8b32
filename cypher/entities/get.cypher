// One entity with its relations (both directions) and the memories about it. (Flat maps: the local
// graph server returns only the inner map of a map projection nested in a map literal.)
// params: $projectId, $entityId
MATCH (e:Entity {id: $entityId, projectId: $projectId})
RETURN e {.id, .userId, .graphId, .name, .type, .aliases, .createdAt, .updatedAt} AS entity,
       [(e)-[r]->(o:Entity) | {id: r.id, type: type(r), direction: 'out', label: r.label, fact: r.fact,
         validAt: r.validAt, invalidAt: r.invalidAt, otherId: o.id, otherName: o.name, otherType: o.type}] AS outgoing,
       [(e)<-[r]-(o:Entity) | {id: r.id, type: type(r), direction: 'in', label: r.label, fact: r.fact,
         validAt: r.validAt, invalidAt: r.invalidAt, otherId: o.id, otherName: o.name, otherType: o.type}] AS incoming,
       [(e)<-[:ABOUT]-(m:Memory) | m {.id, .text, .kind, .validAt, .invalidAt, .createdAt}] AS memories,
       EXISTS { (:User)-[:IS]->(e) } AS isUser
