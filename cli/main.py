"""Entry point of the ``vg`` command."""

from __future__ import annotations

import core.offline  # noqa: F401  (first: offline/telemetry environment before any library)
import typer

from cli import audit_cmd, deidentify_cmd, keys_cmd, retention_cmd, eval_cmd, kaart_cmd, models_cmd, process_cmd, serve_cmd, users_cmd, worker_cmd
from cli.common import configure_entry_point

app = typer.Typer(
    help=(
        "VG-verslag: van opname van een Verkennend Gesprek naar een gecontroleerd conceptverslag en "
        "advies aan de huisarts. Alles draait lokaal; er gaat niets over het netwerk."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
)
app.command("process")(process_cmd.process)
app.command("deidentify")(deidentify_cmd.deidentify_command)
app.add_typer(models_cmd.app, name="models")
app.add_typer(kaart_cmd.app, name="kaart")
app.add_typer(eval_cmd.app, name="eval")
app.command("serve")(serve_cmd.serve)
app.add_typer(users_cmd.app, name="users")
app.add_typer(audit_cmd.app, name="audit")
app.add_typer(retention_cmd.app, name="retention")
app.add_typer(keys_cmd.app, name="keys")
app.command("worker")(worker_cmd.worker)


@app.callback()
def _root(verbose: bool = typer.Option(False, "--verbose", "-v", help="Meer technische logregels (nooit inhoud).")) -> None:
    configure_entry_point(verbose)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
