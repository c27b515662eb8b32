// Store a user's biographical summary, the memories it was built from and the graph version it saw.
// params: $projectId, $userId, $summary, $memoryIds, $version, $now
MATCH (u:User {id: $userId, projectId: $projectId})
SET u.summary = $summary, u.summaryAt = $now, u.summaryMemoryIds = $memoryIds, u.summaryVersion = $version
RETURN u.id AS id
