"""Writing the answer from retrieved passages: compose, verify, generate (LLM), follow-ups."""
