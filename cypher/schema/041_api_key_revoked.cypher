// Every process reads the keys revoked lately, several times a second, to drop them from its key cache.
// params: none
CREATE INDEX api_key_revoked IF NOT EXISTS FOR (k:ApiKey) ON (k.revokedAt)
