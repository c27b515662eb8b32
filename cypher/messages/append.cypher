// Append messages and queue an IngestJob for each row that has a jobId, in one transaction.
// The first SET takes the thread's write lock, so `base` is read with no concurrent append in
// between: seq numbers continue gap-free (and `seqKey` is unique, should anything slip through).
// Thread and user times move with the batch. No row back: the thread does not exist.
// params: $projectId, $threadId, $rows, $firstAt, $lastAt, $now
MATCH (t:Thread {id: $threadId, projectId: $projectId})
SET t.updatedAt = $now
WITH t, t.messageCount AS base
MATCH (u:User {id: t.userId, projectId: $projectId})
SET t.messageCount = base + size($rows),
    t.firstMessageAt = CASE WHEN t.firstMessageAt IS NULL OR $firstAt < t.firstMessageAt THEN $firstAt ELSE t.firstMessageAt END,
    t.lastMessageAt = CASE WHEN t.lastMessageAt IS NULL OR $lastAt > t.lastMessageAt THEN $lastAt ELSE t.lastMessageAt END,
    t.activityAt = CASE WHEN $lastAt > t.activityAt THEN $lastAt ELSE t.activityAt END,
    u.lastConversationAt = CASE WHEN u.lastConversationAt IS NULL OR $lastAt > u.lastConversationAt THEN $lastAt ELSE u.lastConversationAt END
WITH t, base
UNWIND range(0, size($rows) - 1) AS i
WITH t, base, i, $rows[i] AS row
CREATE (m:Message {
  id: row.id, projectId: $projectId, userId: t.userId, threadId: t.id, seq: base + i + 1,
  seqKey: t.id + '|' + toString(base + i + 1), role: row.role, content: row.content, name: row.name,
  metadata: row.metadata, createdAt: row.createdAt, storedAt: $now
})
CREATE (t)-[:HAS_MESSAGE]->(m)
FOREACH (_ IN CASE WHEN row.jobId IS NULL THEN [] ELSE [1] END |
  CREATE (j:IngestJob {
    id: row.jobId, projectId: $projectId, userId: t.userId, threadId: t.id, messageId: row.id,
    status: 'queued', attempts: 0, availableAt: $now, createdAt: $now
  })
  CREATE (m)-[:INGESTED_BY]->(j)
)
RETURN m {.*} AS message
ORDER BY m.seq
