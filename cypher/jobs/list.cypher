// A user's ingest jobs, newest first, optionally one status, one page after the cursor position.
// params: $projectId, $userId, $status, $afterCreatedAt, $afterId, $limit
MATCH (j:IngestJob {userId: $userId, projectId: $projectId})
WHERE ($status IS NULL OR j.status = $status)
  AND ($afterCreatedAt IS NULL OR j.createdAt < $afterCreatedAt OR (j.createdAt = $afterCreatedAt AND j.id < $afterId))
RETURN j {.*} AS job
ORDER BY j.createdAt DESC, j.id DESC
LIMIT $limit
