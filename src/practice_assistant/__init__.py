"""Practice Assistant: answers visitors' questions from a therapy practice's own articles."""

__version__ = "0.1.0"
