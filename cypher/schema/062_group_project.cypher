// A project's groups (lists). A single-property index: the local graph server's planner uses it for
// `projectId = ...` (not a composite's prefix).
// params: none
CREATE INDEX group_project IF NOT EXISTS FOR (g:Group) ON (g.projectId)
