// params: none
CREATE INDEX api_key_project IF NOT EXISTS FOR (k:ApiKey) ON (k.projectId)
