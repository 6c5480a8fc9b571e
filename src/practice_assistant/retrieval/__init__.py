"""Finding passages: dense and BM25 retrieval over the serving index version, fused."""
