// params: $key
MATCH (i:IdempotencyKey {key: $key})
RETURN i {.*} AS record
