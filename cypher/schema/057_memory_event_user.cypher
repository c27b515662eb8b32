// params: none
CREATE INDEX memory_event_user IF NOT EXISTS FOR (e:MemoryEvent) ON (e.userId)
