// A user's threads, newest activity first.
// params: none
CREATE INDEX thread_user_activity IF NOT EXISTS FOR (t:Thread) ON (t.userId, t.activityAt)
