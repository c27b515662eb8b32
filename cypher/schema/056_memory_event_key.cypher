// `memoryId|type|messageId`: a re-run of the same message writes no second event.
// params: none
CREATE CONSTRAINT memory_event_key IF NOT EXISTS FOR (e:MemoryEvent) REQUIRE e.key IS UNIQUE
