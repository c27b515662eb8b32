"""What turns messages into memory: embeddings now, the extractor and ranking later."""
