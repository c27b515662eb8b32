// Create or update typed relations between entities. A relationship type cannot be a parameter on
// every server (and user text never reaches query text), so each type of the closed vocabulary in
// app/memory/extract/vocabulary.py has its own branch; tests/unit keeps the two lists equal.
// A relation is one edge per (source, type, target) while valid, found by its id.
// params: $relations
UNWIND $relations AS row
MATCH (a:Entity {id: row.sourceId})
MATCH (b:Entity {id: row.targetId})
FOREACH (_ IN CASE WHEN row.type = 'LIVES_IN' THEN [1] ELSE [] END | MERGE (a)-[r:LIVES_IN {id: row.id}]->(b) SET r += row.props)
FOREACH (_ IN CASE WHEN row.type = 'WORKS_AT' THEN [1] ELSE [] END | MERGE (a)-[r:WORKS_AT {id: row.id}]->(b) SET r += row.props)
FOREACH (_ IN CASE WHEN row.type = 'STUDIES_AT' THEN [1] ELSE [] END | MERGE (a)-[r:STUDIES_AT {id: row.id}]->(b) SET r += row.props)
FOREACH (_ IN CASE WHEN row.type = 'MARRIED_TO' THEN [1] ELSE [] END | MERGE (a)-[r:MARRIED_TO {id: row.id}]->(b) SET r += row.props)
FOREACH (_ IN CASE WHEN row.type = 'PARTNER_OF' THEN [1] ELSE [] END | MERGE (a)-[r:PARTNER_OF {id: row.id}]->(b) SET r += row.props)
FOREACH (_ IN CASE WHEN row.type = 'FROM' THEN [1] ELSE [] END | MERGE (a)-[r:FROM {id: row.id}]->(b) SET r += row.props)
FOREACH (_ IN CASE WHEN row.type = 'HAS_PET' THEN [1] ELSE [] END | MERGE (a)-[r:HAS_PET {id: row.id}]->(b) SET r += row.props)
FOREACH (_ IN CASE WHEN row.type = 'SIBLING_OF' THEN [1] ELSE [] END | MERGE (a)-[r:SIBLING_OF {id: row.id}]->(b) SET r += row.props)
FOREACH (_ IN CASE WHEN row.type = 'PARENT_OF' THEN [1] ELSE [] END | MERGE (a)-[r:PARENT_OF {id: row.id}]->(b) SET r += row.props)
FOREACH (_ IN CASE WHEN row.type = 'CHILD_OF' THEN [1] ELSE [] END | MERGE (a)-[r:CHILD_OF {id: row.id}]->(b) SET r += row.props)
FOREACH (_ IN CASE WHEN row.type = 'FRIEND_OF' THEN [1] ELSE [] END | MERGE (a)-[r:FRIEND_OF {id: row.id}]->(b) SET r += row.props)
FOREACH (_ IN CASE WHEN row.type = 'COLLEAGUE_OF' THEN [1] ELSE [] END | MERGE (a)-[r:COLLEAGUE_OF {id: row.id}]->(b) SET r += row.props)
FOREACH (_ IN CASE WHEN row.type = 'LIKES' THEN [1] ELSE [] END | MERGE (a)-[r:LIKES {id: row.id}]->(b) SET r += row.props)
FOREACH (_ IN CASE WHEN row.type = 'DISLIKES' THEN [1] ELSE [] END | MERGE (a)-[r:DISLIKES {id: row.id}]->(b) SET r += row.props)
FOREACH (_ IN CASE WHEN row.type = 'ALLERGIC_TO' THEN [1] ELSE [] END | MERGE (a)-[r:ALLERGIC_TO {id: row.id}]->(b) SET r += row.props)
FOREACH (_ IN CASE WHEN row.type = 'MEMBER_OF' THEN [1] ELSE [] END | MERGE (a)-[r:MEMBER_OF {id: row.id}]->(b) SET r += row.props)
FOREACH (_ IN CASE WHEN row.type = 'VISITED' THEN [1] ELSE [] END | MERGE (a)-[r:VISITED {id: row.id}]->(b) SET r += row.props)
FOREACH (_ IN CASE WHEN row.type = 'OWNS' THEN [1] ELSE [] END | MERGE (a)-[r:OWNS {id: row.id}]->(b) SET r += row.props)
FOREACH (_ IN CASE WHEN row.type = 'PLAYS' THEN [1] ELSE [] END | MERGE (a)-[r:PLAYS {id: row.id}]->(b) SET r += row.props)
FOREACH (_ IN CASE WHEN row.type = 'RELATED_TO' THEN [1] ELSE [] END | MERGE (a)-[r:RELATED_TO {id: row.id}]->(b) SET r += row.props)
