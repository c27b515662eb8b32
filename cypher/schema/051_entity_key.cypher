// One entity per (user graph, type, normalised name), as one property: `graphId|type|key`.
// params: none
CREATE CONSTRAINT entity_key IF NOT EXISTS FOR (e:Entity) REQUIRE e.entityKey IS UNIQUE
