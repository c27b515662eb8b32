// Create a group of the project. A taken name fails on the nameKey constraint ("projectId|name").
// params: $projectId, $groupId, $name, $nameKey, $description, $now
CREATE (g:Group {
  id: $groupId, projectId: $projectId, name: $name, nameKey: $nameKey, description: $description,
  version: 0, createdAt: $now, updatedAt: $now
})
RETURN g {.*} AS group, 0 AS memberCount, 0 AS memoryCount
