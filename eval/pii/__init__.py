"""Evaluation of the de-identification stage on an annotated Dutch set (eval/data/pii/)."""
