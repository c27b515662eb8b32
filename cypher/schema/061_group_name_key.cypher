// A group's name is unique in its project, kept as one property "projectId|name": two racing creates
// of one name end with one group (the loser fails on this constraint and answers 409 GROUP_EXISTS).
// params: none
CREATE CONSTRAINT group_name_key IF NOT EXISTS FOR (g:Group) REQUIRE g.nameKey IS UNIQUE
