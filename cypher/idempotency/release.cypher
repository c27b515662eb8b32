// Forget a key whose request failed on the server side, so that a retry runs it again.
// params: $key, $claim
MATCH (i:IdempotencyKey {key: $key})
WHERE i.claim = $claim
DELETE i
