// Create a personality of the project. Names need not be unique.
// params: $projectId, $personalityId, $name, $description, $metadata, $now
CREATE (p:Personality {
  id: $personalityId, projectId: $projectId, name: $name, description: $description,
  metadata: $metadata, createdAt: $now, updatedAt: $now
})
RETURN p {.*} AS personality
