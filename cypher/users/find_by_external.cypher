// The id of the project's user with this external id.
// params: $externalKey
MATCH (u:User {externalKey: $externalKey})
RETURN u.id AS id
