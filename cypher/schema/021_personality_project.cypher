// Lists page through a project's personalities by creation time.
// params: none
CREATE INDEX personality_project_created IF NOT EXISTS FOR (p:Personality) ON (p.projectId, p.createdAt)
