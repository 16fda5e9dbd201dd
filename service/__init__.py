"""FastAPI service: the pipeline over HTTP on the organisation's own machine (review web app to follow)."""
