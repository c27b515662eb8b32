// params: none
CREATE INDEX user_project_created IF NOT EXISTS FOR (u:User) ON (u.projectId, u.createdAt)
