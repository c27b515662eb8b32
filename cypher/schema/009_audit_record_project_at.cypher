// params: none
CREATE INDEX audit_record_project_at IF NOT EXISTS FOR (a:AuditRecord) ON (a.projectId, a.at)
