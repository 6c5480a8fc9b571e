"""Speed and memory benchmarks (`python -m benchmarks`): kept out of the product package."""
