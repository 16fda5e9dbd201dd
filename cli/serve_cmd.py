"""``vg serve``: start the HTTP service on this machine."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option(help="Adres; standaard alleen deze computer.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Poort.")] = 8000,
) -> None:
    """Start de VG-dienst (API; de beoordelings-webapp volgt)."""
    import uvicorn

    from service.main import create_app

    uvicorn.run(create_app(), host=host, port=port, log_level="warning", access_log=False)
