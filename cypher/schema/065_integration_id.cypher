// params: none
CREATE CONSTRAINT integration_id IF NOT EXISTS FOR (i:Integration) REQUIRE i.id IS UNIQUE
