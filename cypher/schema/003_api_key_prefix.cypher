// Keys are looked up by their public prefix, then compared by hash.
// params: none
CREATE CONSTRAINT api_key_prefix IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.prefix IS UNIQUE
