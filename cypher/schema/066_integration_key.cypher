// One integration per (user, provider, externalAccountId), kept as one property
// "userId|provider" or "userId|provider|externalAccountId": racing creates end with one integration.
// params: none
CREATE CONSTRAINT integration_key IF NOT EXISTS FOR (i:Integration) REQUIRE i.integrationKey IS UNIQUE
