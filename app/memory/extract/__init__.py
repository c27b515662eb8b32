"""The extractor: one user message (with the assistant's question before it) in, a graph value out."""

from app.memory.extract.extractor import Ending, Entity, Extraction, Extractor, Memory, Relation, Utterance

__all__ = ["Ending", "Entity", "Extraction", "Extractor", "Memory", "Relation", "Utterance"]
