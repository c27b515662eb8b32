// The memories derived only from one thread's messages (those also said in another thread stay).
// params: $projectId, $threadId
MATCH (t:Thread {id: $threadId, projectId: $projectId})
MATCH (mem:Memory)-[:DERIVED_FROM]->(:Message {threadId: t.id})
WITH DISTINCT t, mem
WHERE NOT EXISTS { (mem)-[:DERIVED_FROM]->(o:Message) WHERE o.threadId <> t.id }
RETURN mem.id AS id
