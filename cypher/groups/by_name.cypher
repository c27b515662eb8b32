// The project's groups with these names ($nameKeys are "projectId|name"), with their versions.
// params: $projectId, $nameKeys
UNWIND $nameKeys AS nameKey
MATCH (g:Group {nameKey: nameKey})
WHERE g.projectId = $projectId
RETURN g.id AS id, g.name AS name, coalesce(g.version, 0) AS version
