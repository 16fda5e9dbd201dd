"""Benchmarks: ``python -m bench [NAME ...]`` prints figures and ratios measured on this machine."""
