// params: none
CREATE CONSTRAINT personality_id IF NOT EXISTS FOR (p:Personality) REQUIRE p.id IS UNIQUE
