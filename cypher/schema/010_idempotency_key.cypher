// One record per (project, Idempotency-Key), keyed "projectId|key".
// params: none
CREATE CONSTRAINT idempotency_key IF NOT EXISTS FOR (i:IdempotencyKey) REQUIRE i.key IS UNIQUE
