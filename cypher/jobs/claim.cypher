// Claim up to $limit queued jobs that are due, under a new lease, with the message each one ingests,
// the message before it for context, the user's name (who "I" is: their first name, else the name
// of their own entity, learned from what was said) and the thread's personality.
// (Expired leases come back through jobs/reclaim.)
// params: $now, $lease, $leaseUntil, $limit
MATCH (j:IngestJob)
WHERE j.status = 'queued' AND j.availableAt <= $now
WITH j
ORDER BY j.availableAt, j.id
LIMIT $limit
SET j.status = 'running', j.lease = $lease, j.leaseUntil = $leaseUntil, j.attempts = j.attempts + 1,
    j.startedAt = $now
WITH j
OPTIONAL MATCH (m:Message {id: j.messageId})
OPTIONAL MATCH (previous:Message {threadId: m.threadId, seq: m.seq - 1})
OPTIONAL MATCH (u:User {id: j.userId})
OPTIONAL MATCH (t:Thread {id: j.threadId})
RETURN j {.id, .projectId, .userId, .threadId, .messageId, .attempts, .lease} AS job,
       m {.id, .role, .content, .name, .createdAt, .seq} AS message,
       previous {.role, .content, .name} AS previous,
       u {.firstName, .lastName} AS user,
       CASE WHEN u IS NULL THEN null ELSE [(u)-[:IS]->(me:Entity) | me.name][0] END AS selfName,
       t.personalityId AS personalityId
