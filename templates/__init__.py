"""Jinja2 templates of the letters and pages (package data)."""
