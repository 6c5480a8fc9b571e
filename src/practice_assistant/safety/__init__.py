"""Crisis and scope routing: rules first, then a trained classifier; it needs no retrieval."""
