// Delete a personality; the project's threads that used it keep going without one.
// params: $projectId, $personalityId
MATCH (p:Personality {id: $personalityId, projectId: $projectId})
CALL (p) {
  OPTIONAL MATCH (t:Thread {projectId: $projectId, personalityId: p.id})
  SET t.personalityId = null
  RETURN count(t) AS threads
}
DETACH DELETE p
RETURN threads
