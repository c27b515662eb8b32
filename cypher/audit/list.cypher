// A project's audit records, newest first, optionally one action, one page after the cursor.
// params: $projectId, $action, $afterAt, $afterId, $limit
MATCH (a:AuditRecord {projectId: $projectId})
WHERE ($action IS NULL OR a.action = $action)
  AND ($afterAt IS NULL OR a.at < $afterAt OR (a.at = $afterAt AND a.id < $afterId))
RETURN a {.*} AS record
ORDER BY a.at DESC, a.id DESC
LIMIT $limit
