"""Engram: a self-hosted, graph-native memory service for AI applications."""
