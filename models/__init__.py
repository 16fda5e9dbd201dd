"""Model registry, backend protocols and implementations, and assembly of bundled models."""
