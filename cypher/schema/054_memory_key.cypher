// One memory per (user graph, personality scope, normalised text): the same fact said twice is one memory.
// params: none
CREATE CONSTRAINT memory_key IF NOT EXISTS FOR (m:Memory) REQUIRE m.memoryKey IS UNIQUE
