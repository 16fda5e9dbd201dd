"""``vg serve``: start the web app with an embedded worker on this machine."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from cli.common import console, handle_errors, load_settings


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@handle_errors
def serve(
    host: Annotated[str, typer.Option(help="Adres; standaard alleen deze computer.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Poort.")] = 8000,
    workers: Annotated[int, typer.Option(help="Ingebouwde workers voor de verwerking; 0: alleen aparte vg worker-processen.")] = 1,
) -> None:
    """Start de VG-webapp (inloggen, uploaden, beoordelen, vaststellen) met een ingebouwde worker."""
    import uvicorn

    from service.config import ServiceSettings
    from service.main import create_app

    config = ServiceSettings()
    https = bool(config.tls_certfile and config.tls_keyfile)
    if not is_loopback(host):
        if not config.allow_remote:
            console.print(f"[red]Weigert te luisteren op {host}: alleen deze computer (127.0.0.1) is standaard toegestaan.[/red]\n"
                          "Wat nu: zet VG_ALLOW_REMOTE=true als de app bewust op het netwerk moet.")
            raise typer.Exit(2)
        if not https and not config.allow_insecure_remote:
            console.print("[red]Weigert te starten op het netwerk zonder HTTPS.[/red]\n"
                          "Wat nu: zet VG_TLS_CERTFILE en VG_TLS_KEYFILE, of (alleen achter een HTTPS-proxy) "
                          "VG_ALLOW_INSECURE_REMOTE=true.")
            raise typer.Exit(2)
    app = create_app(load_settings(), config=config, workers=workers)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                ssl_certfile=str(config.tls_certfile) if https else None, ssl_keyfile=str(config.tls_keyfile) if https else None)
