"""Benchmarks and evaluation scripts that print figures; importable (`bench.extraction_eval`) for their tests."""
