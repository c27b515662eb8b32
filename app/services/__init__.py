"""Use cases: one module per resource, keyword-only functions over the graph handle."""
