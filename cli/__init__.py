"""The ``vg`` command line. Logging and settings are configured here, never at import elsewhere."""

import core.offline  # noqa: F401  (first: offline/telemetry environment before any library)
