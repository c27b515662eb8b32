// params: none
CREATE INDEX message_thread_seq IF NOT EXISTS FOR (m:Message) ON (m.threadId, m.seq)
