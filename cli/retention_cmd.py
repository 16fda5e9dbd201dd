"""``vg retention``: delete cases whose retention period has passed, or one case on request."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.common import app_sessions, console, handle_errors, load_settings

app = typer.Typer(help="Bewaartermijnen: verlopen casussen verwijderen (bestanden, databaseregels, wachtrij).",
                  no_args_is_help=True)


def _queues():  # noqa: ANN202
    from service.config import ServiceSettings
    from service.queues import make_queues

    return make_queues(load_settings().data_dir, ServiceSettings().queue_url)


@app.command("run")
@handle_errors
def run(
    days: Annotated[int | None, typer.Option("--days", help="Bewaartermijn in dagen (standaard VG_RETENTION_DAYS).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Toon alleen wat verwijderd zou worden.")] = False,
) -> None:
    """Verwijder alle casussen waarvan de bewaartermijn na vaststelling (of aanmaak) verstreken is.

    De workers doen dit ook zelf, elke VG_RETENTION_CHECK_HOURS uur."""
    from service.config import ServiceSettings
    from service.retention import run_retention

    period = days if days is not None else ServiceSettings().retention_days
    if period <= 0:
        console.print("Automatisch verwijderen staat uit (VG_RETENTION_DAYS=0); geef --days om toch te verwijderen.")
        return
    with app_sessions()() as db:
        report = run_retention(db, load_settings().data_dir, _queues(), period, actor="cli", dry_run=dry_run)
    verb = "Zou verwijderen" if dry_run else "Verwijderd"
    console.print(f"{verb}: {len(report.deleted)} casus(sen) ouder dan {period} dagen"
                  + (f"; {report.queue_messages} wachtrijbericht(en) opgeruimd." if report.queue_messages else "."))
    if report.skipped_busy:
        console.print(f"{len(report.skipped_busy)} casus(sen) worden nu verwerkt; die volgen bij de volgende ronde.")


@app.command("delete")
@handle_errors
def delete_one(case_id: Annotated[str, typer.Argument(help="Id van de casus (zie de adresbalk of het auditlog).")],
               reason: Annotated[str, typer.Option("--reden", help="Waarom (komt in het auditlog).")] = "op verzoek") -> None:
    """Verwijder één casus nu, bijvoorbeeld op verzoek van de inwoner (recht op vergetelheid)."""
    from fastapi import HTTPException

    from service.retention import delete_case

    with app_sessions()() as db:
        try:
            delete_case(db, load_settings().data_dir, _queues(), case_id, user=None, actor="cli", reason=reason[:200])
        except HTTPException:
            console.print(f"[red]Onbekende casus {case_id}.[/red]")
            raise typer.Exit(2) from None
    console.print(f"Casus {case_id} verwijderd (bestanden, databaseregels en wachtrijberichten).")
