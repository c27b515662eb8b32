// params: none
CREATE CONSTRAINT user_graph_id IF NOT EXISTS FOR (g:UserGraph) REQUIRE g.id IS UNIQUE
