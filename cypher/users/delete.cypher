// Delete a user and everything that is theirs; returns what was removed, for the audit record.
// Every node a user owns carries its userId, so each label is swept by one indexed lookup.
// params: $projectId, $userId
MATCH (u:User {id: $userId, projectId: $projectId})
CALL (u) { OPTIONAL MATCH (n:MemoryEvent {userId: u.id}) DETACH DELETE n RETURN count(n) AS events }
CALL (u) { OPTIONAL MATCH (n:Memory {userId: u.id}) DETACH DELETE n RETURN count(n) AS memories }
CALL (u) { OPTIONAL MATCH (n:Entity {userId: u.id}) DETACH DELETE n RETURN count(n) AS entities }
CALL (u) { OPTIONAL MATCH (n:IngestJob {userId: u.id}) DETACH DELETE n RETURN count(n) AS jobs }
CALL (u) { OPTIONAL MATCH (n:Message {userId: u.id}) DETACH DELETE n RETURN count(n) AS messages }
CALL (u) { OPTIONAL MATCH (n:Thread {userId: u.id}) DETACH DELETE n RETURN count(n) AS threads }
CALL (u) { OPTIONAL MATCH (n:Integration {userId: u.id}) DETACH DELETE n RETURN count(n) AS integrations }
CALL (u) { OPTIONAL MATCH (n:UserGraph {userId: u.id}) DETACH DELETE n RETURN count(n) AS graphs }
DETACH DELETE u
RETURN {threads: threads, messages: messages, jobs: jobs, memories: memories, memoryEvents: events,
        entities: entities, integrations: integrations, graphs: graphs} AS counts
