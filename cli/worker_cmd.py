"""``vg worker``: an extra background worker against the same database and queue as ``vg serve``."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.common import load_settings


def worker(workers: Annotated[int, typer.Option(help="Aantal gelijktijdige taken in dit proces.")] = 1) -> None:
    """Verwerk opnames uit de wachtrij (naast of in plaats van de ingebouwde worker van vg serve)."""
    from pipeline.backends import Backends
    from service.config import ServiceSettings
    from service.db import open_database
    from service.worker import Processing

    settings = load_settings()
    Processing(settings, Backends(settings), open_database(settings.data_dir), ServiceSettings()).run_forever(workers)
