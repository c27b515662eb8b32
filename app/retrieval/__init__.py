"""Retrieval: hybrid memory search, the context block and the user summary."""
