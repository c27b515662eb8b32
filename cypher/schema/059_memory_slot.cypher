// params: none
CREATE INDEX memory_slot IF NOT EXISTS FOR (m:Memory) ON (m.slotKey)
