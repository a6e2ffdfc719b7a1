"""Benchmarks: ``./run-bench`` prints one line per figure with its baseline, ratio and target."""
