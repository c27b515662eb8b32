// params: none
CREATE INDEX thread_user IF NOT EXISTS FOR (t:Thread) ON (t.userId)
