// One group of the project with its member and memory counts.
// params: $projectId, $groupId
MATCH (g:Group {id: $groupId, projectId: $projectId})
RETURN g {.*} AS group,
       COUNT { (:User)-[:MEMBER_OF]->(g) } AS memberCount,
       COUNT { (g)-[:HAS_MEMORY]->(:Memory) } AS memoryCount
