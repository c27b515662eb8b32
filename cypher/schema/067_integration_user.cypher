// A user's integrations, swept by userId when the user is deleted.
// params: none
CREATE INDEX integration_user IF NOT EXISTS FOR (i:Integration) ON (i.userId)
