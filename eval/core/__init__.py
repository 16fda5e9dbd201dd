"""The evaluation harness core: datasets, solvers, scorers, metrics and the versioned log."""
