"""The ``vg`` command line. Logging and settings are configured here, never at import elsewhere."""
