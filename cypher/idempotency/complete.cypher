// Store the response that later requests with the same key replay.
// `subjects`: the ids the request and its response name, so that deleting any of them forgets it.
// params: $key, $claim, $status, $body, $contentType, $subjects, $now
MATCH (i:IdempotencyKey {key: $key})
WHERE i.claim = $claim
SET i.state = 'done', i.status = $status, i.body = $body, i.contentType = $contentType,
    i.subjects = $subjects, i.completedAt = $now
RETURN i.key AS key
