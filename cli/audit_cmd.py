"""``vg audit``: check the audit log's hash chain and export it for the privacy officer."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import app_sessions, console, handle_errors

app = typer.Typer(help="Auditlog van de webapp: controleren (hashketen) en exporteren (CSV).", no_args_is_help=True)


@app.command("verify")
@handle_errors
def verify() -> None:
    """Controleer de hashketen: elke regel moet de hash van de vorige dragen en zelf ongewijzigd zijn.

    Exitcode 0: intact; 3: verbroken (de eerste verbroken regel wordt genoemd)."""
    from service import audit

    with app_sessions()() as db:
        result = audit.verify(db)
        audit.record(db, None, "bekeken", "audit", detail="keten gecontroleerd (cli)", actor="cli")
    if result.ok:
        console.print(f"Auditlog intact: {result.rows} regels gecontroleerd.")
        return
    console.print(f"[bold red]Auditlog verbroken[/] bij regel {result.first_broken}: {result.reason}.")
    console.print("[yellow]Wat nu:[/] meld dit aan de privacy officer; bewaar een kopie van de database voor onderzoek.")
    raise typer.Exit(3)


@app.command("export")
@handle_errors
def export(out: Annotated[Path, typer.Option("--out", "-o", help="CSV-bestand om te schrijven.")]) -> None:
    """Schrijf het hele auditlog als CSV (oudste eerst, met de hashes zodat het elders te controleren is)."""
    from service import audit

    with app_sessions()() as db:
        audit.record(db, None, "geexporteerd", "audit", detail="csv (cli)", actor="cli")
        with out.open("w", encoding="utf-8", newline="") as handle:
            for chunk in audit.csv_lines(db):
                handle.write(chunk)
    console.print(f"Auditlog geschreven naar {out}.")
