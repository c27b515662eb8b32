// (projectId, externalId) is unique. Kept as one property "projectId|externalId" because a composite
// unique constraint on the local graph server treats a missing externalId as a value.
// params: none
CREATE CONSTRAINT user_external_key IF NOT EXISTS FOR (u:User) REQUIRE u.externalKey IS UNIQUE
