// Conversation and memory figures for one user.
// params: $projectId, $userId
MATCH (u:User {id: $userId, projectId: $projectId})
OPTIONAL MATCH (u)-[:HAS_GRAPH]->(g:UserGraph)
CALL (u) {
  OPTIONAL MATCH (u)-[:HAS_THREAD]->(t:Thread)
  RETURN min(t.createdAt) AS firstConversationAt
}
RETURN u.id AS userId,
       COUNT { (u)-[:HAS_THREAD]->(:Thread) } AS totalConversations,
       COUNT { (u)-[:HAS_THREAD]->(:Thread)-[:HAS_MESSAGE]->(:Message) } AS totalMessages,
       COUNT { MATCH (u)-[:HAS_THREAD]->(:Thread)-[:WITH]->(p:Personality) RETURN DISTINCT p } AS personalitiesUsed,
       COUNT { (g)-[:HAS_MEMORY]->(m:Memory) WHERE m.invalidAt IS NULL } AS memoriesCount,
       COUNT { (g)-[:HAS_ENTITY]->(:Entity) } AS entitiesCount,
       COUNT { (u)-[:HAS_INTEGRATION]->(:Integration) } AS integrationsCount,
       firstConversationAt,
       u.lastConversationAt AS lastConversationAt
