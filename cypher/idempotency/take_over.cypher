// Take over an abandoned or expired key: succeeds only if nobody else took it since it was read.
// params: $key, $expectedClaim, $fingerprint, $claim, $now
MATCH (i:IdempotencyKey {key: $key})
WHERE i.claim = $expectedClaim
SET i.claim = $claim, i.fingerprint = $fingerprint, i.state = 'pending', i.createdAt = $now,
    i.status = null, i.body = null, i.contentType = null, i.subjects = null
RETURN i {.*} AS record
