// The two entities of a merge and the relations of both, with all their properties.
// params: $projectId, $entityId, $intoId
MATCH (e:Entity {id: $entityId, projectId: $projectId})
OPTIONAL MATCH (into:Entity {id: $intoId, projectId: $projectId})
RETURN e {.id, .userId, .name, .aliases} AS entity, into {.id, .userId, .name, .aliases} AS into,
       [(e)-[r]->(o:Entity) | {type: type(r), sourceId: $intoId, targetId: o.id, props: properties(r)}] AS outgoing,
       [(e)<-[r]-(o:Entity) | {type: type(r), sourceId: o.id, targetId: $intoId, props: properties(r)}] AS incoming,
       [(into)-[r]->(o:Entity) | {type: type(r), sourceId: $intoId, targetId: o.id, props: properties(r)}] AS keptOutgoing,
       [(into)<-[r]-(o:Entity) | {type: type(r), sourceId: o.id, targetId: $intoId, props: properties(r)}] AS keptIncoming
