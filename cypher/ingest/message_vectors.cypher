// Each ingested message's sentence vectors (one flat list, 384 floats a sentence), speaker and
// personality scope: retrieval finds verbatim excerpts by their best sentence.
// params: $projectId, $userId, $messages
UNWIND $messages AS row
MATCH (x:Message {id: row.id, projectId: $projectId, userId: $userId})
SET x.embeddings = row.embeddings, x.speaker = row.speaker, x.personalityId = row.personalityId
