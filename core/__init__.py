"""The bottom layer every other package shares: domain errors, provenance records and settings.

Nothing here imports ``models``, ``pipeline``, ``service``, ``eval`` or ``cli``.
"""
