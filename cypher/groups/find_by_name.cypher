// The id of the project's group with this name ($nameKey is "projectId|name").
// params: $nameKey
MATCH (g:Group {nameKey: $nameKey})
RETURN g.id AS id
