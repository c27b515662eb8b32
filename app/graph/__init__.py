"""Everything that talks to the graph database: the named-query loader, transactions, schema."""
