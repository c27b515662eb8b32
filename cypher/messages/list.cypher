// Replay a thread in conversation order, one page after the cursor position.
// params: $projectId, $threadId, $afterSeq, $limit
MATCH (m:Message {threadId: $threadId, projectId: $projectId})
WHERE $afterSeq IS NULL OR m.seq > $afterSeq
RETURN m {.id, .threadId, .seq, .role, .content, .name, .metadata, .createdAt} AS message
ORDER BY m.seq
LIMIT $limit
