"""HTML -> PDF with WeasyPrint, never fetching anything from the network."""

from __future__ import annotations

import logging
from pathlib import Path

from core.errors import RenderError

logger = logging.getLogger(__name__)

ALLOWED_PROTOCOLS = frozenset({"file", "data"})


def local_only_fetcher():  # noqa: ANN201 - weasyprint type
    """A WeasyPrint URL fetcher that refuses every non-local URL (http, https, ftp ...)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS, allow_redirects=False)


def write_pdf(html: str, path: Path, base_dir: Path) -> Path:
    try:
        from weasyprint import HTML

        HTML(string=html, base_url=str(base_dir), url_fetcher=local_only_fetcher()).write_pdf(str(path))
    except (OSError, ValueError) as exc:
        raise RenderError(
            f"De PDF {path.name} kon niet worden gemaakt ({type(exc).__name__}).",
            hint="Controleer of de pango-bibliotheken geïnstalleerd zijn ('make setup').",
        ) from exc
    return path
