// Take the thread's write lock and read what an append or a read-modify-write needs.
// params: $projectId, $threadId, $now
MATCH (t:Thread {id: $threadId, projectId: $projectId})
SET t.updatedAt = $now
RETURN t {.*} AS thread
