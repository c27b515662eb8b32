// Store the response that later requests with the same key replay.
// params: $key, $claim, $status, $body, $contentType, $now
MATCH (i:IdempotencyKey {key: $key})
WHERE i.claim = $claim
SET i.state = 'done', i.status = $status, i.body = $body, i.contentType = $contentType, i.completedAt = $now
RETURN i.key AS key
