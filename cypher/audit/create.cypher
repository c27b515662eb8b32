// Record an action. Holds ids and counts only, never personal data.
// params: $auditId, $projectId, $action, $targetId, $actorKeyId, $counts, $now
CREATE (a:AuditRecord {id: $auditId, projectId: $projectId, action: $action, targetId: $targetId,
                       actorKeyId: $actorKeyId, counts: $counts, at: $now})
RETURN a {.*} AS record
