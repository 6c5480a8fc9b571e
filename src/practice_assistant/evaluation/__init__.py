"""Measuring retrieval, answers and routing on the evaluation sets, and writing reports."""
