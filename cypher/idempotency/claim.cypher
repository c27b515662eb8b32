// Claim an Idempotency-Key, or read who holds it. The caller owns it if the claim token is its own.
// params: $key, $projectId, $fingerprint, $claim, $now
MERGE (i:IdempotencyKey {key: $key})
ON CREATE SET i.projectId = $projectId, i.fingerprint = $fingerprint, i.claim = $claim,
              i.state = 'pending', i.createdAt = $now
RETURN i {.*} AS record
