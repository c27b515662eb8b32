// The project's groups with these names (for `groups=` on context and search).
// params: $projectId, $names
MATCH (grp:Group {projectId: $projectId})
WHERE grp.name IN $names
RETURN grp.id AS id, grp.name AS name, coalesce(grp.version, 0) AS version
