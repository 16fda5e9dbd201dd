"""FastAPI service: the pipeline over HTTP on the organisation's own machine (review web app to follow)."""

import core.offline  # noqa: F401  (first: offline/telemetry environment before any library)
