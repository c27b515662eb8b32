// params: none
CREATE INDEX message_user IF NOT EXISTS FOR (m:Message) ON (m.userId)
