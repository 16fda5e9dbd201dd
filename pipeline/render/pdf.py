"""HTML -> PDF with WeasyPrint, never fetching anything from the network."""

from __future__ import annotations

import logging
from pathlib import Path

from core.errors import RenderError
from core.files import write_private_bytes

logger = logging.getLogger(__name__)

ALLOWED_PROTOCOLS = frozenset({"file", "data"})


def local_only_fetcher():  # noqa: ANN201 - weasyprint type
    """A WeasyPrint URL fetcher that refuses every non-local URL (http, https, ftp ...)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS, allow_redirects=False)


def write_pdf(html: str, path: Path, base_dir: Path) -> Path:
    try:
        from weasyprint import HTML

        data = HTML(string=html, base_url=str(base_dir), url_fetcher=local_only_fetcher()).write_pdf()
    except (OSError, ValueError) as exc:
        raise RenderError(
            f"De PDF {path.name} kon niet worden gemaakt ({type(exc).__name__}).",
            hint="Controleer of de pango-bibliotheken geïnstalleerd zijn ('make setup').",
        ) from exc
    return write_private_bytes(path, data)  # 0600, atomic, sealed in a sealed tree
