// Keys revoked at or after $since (epoch ms): the auth key cache drops them.
// params: $since
MATCH (k:ApiKey)
WHERE k.revokedAt >= $since
RETURN k.id AS id
