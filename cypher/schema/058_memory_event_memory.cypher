// params: none
CREATE INDEX memory_event_memory IF NOT EXISTS FOR (e:MemoryEvent) ON (e.memoryId)
