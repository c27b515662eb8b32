// The oldest project with this name (the dev bootstrap looks for "dev").
// params: $name
MATCH (p:Project {name: $name})
RETURN p {.id, .name, .createdAt} AS project
ORDER BY p.createdAt
LIMIT 1
