// (threadId, seq) is unique, kept as one property "threadId|seq": no two messages share a place.
// params: none
CREATE CONSTRAINT message_seq_key IF NOT EXISTS FOR (m:Message) REQUIRE m.seqKey IS UNIQUE
