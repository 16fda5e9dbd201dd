"""``vg worker``: a background worker against the same database and queue as ``vg serve``.

On one machine it shares the SQLite queue in the data directory; with ``VG_QUEUE_URL=redis://...``
and ``VG_DATABASE_URL=postgresql://...`` it runs on any machine that mounts the same data directory.
``VG_WORKER_CAPABILITIES`` (``asr``, ``llm``, ``cpu``) says which stages it takes (docs/deployment.md).
"""

from __future__ import annotations

import os

from typing import Annotated

import typer

from cli.common import handle_errors, load_settings


@handle_errors
def worker(workers: Annotated[int, typer.Option(help="Aantal gelijktijdige taken per wachtrij in dit proces.")] = 1) -> None:
    """Verwerk opnames uit de wachtrij (naast of in plaats van de ingebouwde worker van vg serve)."""
    from pipeline.backends import Backends
    from service.config import ServiceSettings
    from service.db import open_database
    from service.worker import Processing

    settings, config = load_settings(), ServiceSettings()
    if config.worker_nice > 0:  # transcription and drafting yield the CPU to the web app's requests
        os.nice(config.worker_nice)
    backends = Backends(settings)
    Processing(settings, backends, open_database(settings.data_dir, config.database_url, backends.vault_key), config).run_forever(workers)
