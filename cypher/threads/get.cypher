// One thread of the project.
// params: $projectId, $threadId
MATCH (t:Thread {id: $threadId, projectId: $projectId})
RETURN t {.*} AS thread
