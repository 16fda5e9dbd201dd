"""Pipeline stages for the Verkennend Gesprek (VG): each stage maps one typed artefact to the next.

Stages never import ``service`` or ``eval``; they read no environment variables. Entry points
(``cli``, ``service``, ``eval``) build the options objects from :class:`core.settings.Settings`.
"""
