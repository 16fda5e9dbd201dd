"""Evaluation harness: datasets, scorers and reports (never imported by pipeline/)."""
