// params: none
CREATE INDEX memory_user IF NOT EXISTS FOR (m:Memory) ON (m.userId)
