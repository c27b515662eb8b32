// A user's threads, newest activity first, one page after the cursor position.
// params: $projectId, $userId, $personalityId, $status, $afterActivityAt, $afterId, $limit
MATCH (t:Thread {userId: $userId, projectId: $projectId})
WHERE ($personalityId IS NULL OR t.personalityId = $personalityId)
  AND ($status IS NULL OR t.status = $status)
  AND ($afterActivityAt IS NULL OR t.activityAt < $afterActivityAt
       OR (t.activityAt = $afterActivityAt AND t.id < $afterId))
RETURN t {.*} AS thread
ORDER BY t.activityAt DESC, t.id DESC
LIMIT $limit
