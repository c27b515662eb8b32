// A group's memories, for merging into its members' context and search.
// params: $projectId, $groupId
MATCH (grp:Group {id: $groupId, projectId: $projectId})-[:HAS_MEMORY]->(m:Memory)
RETURN m {.id, .groupId, .text, .kind, .personalityId, .validAt, .invalidAt, .supersededBy, .confidence,
          .metadata, .source, .createdAt, .updatedAt, .slot, .embedding} AS memory
