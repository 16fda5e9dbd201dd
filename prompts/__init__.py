"""Versioned prompt files (package data; see README.md in the repository)."""
