// Write a thread's changed fields ($props holds only settable keys).
// params: $projectId, $threadId, $props, $now
MATCH (t:Thread {id: $threadId, projectId: $projectId})
SET t += $props, t.updatedAt = $now
RETURN t {.*} AS thread
