// params: none
CREATE CONSTRAINT audit_record_id IF NOT EXISTS FOR (a:AuditRecord) REQUIRE a.id IS UNIQUE
