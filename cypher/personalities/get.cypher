// One personality of the project.
// params: $projectId, $personalityId
MATCH (p:Personality {id: $personalityId, projectId: $projectId})
RETURN p {.*} AS personality
