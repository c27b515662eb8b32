// A group's memories (list, delete with the group). Group memories carry groupId, never userId.
// params: none
CREATE INDEX memory_group IF NOT EXISTS FOR (m:Memory) ON (m.groupId)
