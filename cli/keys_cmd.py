"""``vg keys``: the at-rest key (vault, case folders, encrypted database fields) and its rotation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import app_sessions, console, handle_errors, load_settings

app = typer.Typer(help="Sleutels voor versleuteling in rust: tonen waar ze staan en vervangen (rotatie).",
                  no_args_is_help=True)


@app.command("status")
@handle_errors
def status() -> None:
    """Toon waar de sleutel staat en hoeveel sleutels er zijn (nooit de sleutel zelf)."""
    from core.at_rest import Keyring
    from pipeline.deid.vault import settings_key

    settings = load_settings()
    keys = Keyring.parse(settings_key(settings)).keys
    where = "VG_VAULT_KEY" if settings.vault_key else str(settings.resolve_vault_key_file())
    console.print(f"Sleutel: {where} ({len(keys)} sleutel(s); de eerste versleutelt, alle ontsleutelen).")


@app.command("rotate")
@handle_errors
def rotate(
    extra: Annotated[list[Path] | None, typer.Argument(help="Extra mappen met uitvoer van 'vg process' om mee te hersleutelen.")] = None,
    keep_old: Annotated[bool, typer.Option("--houd-oude", help="Houd de oude sleutel(s) in het sleutelbestand.")] = False,
    only_reencrypt: Annotated[bool, typer.Option("--alleen-hersleutelen",
                                                 help="Maak geen nieuwe sleutel; versleutel alles opnieuw met de eerste sleutel "
                                                      "(na zelf een nieuwe sleutel vooraan in VG_VAULT_KEY te zetten).")] = False,
) -> None:
    """Maak een nieuwe sleutel, versleutel alle casusbestanden, kluizen en databasevelden opnieuw en
    verwijder daarna de oude sleutel. Stop de app en workers ervoor en start ze daarna opnieuw."""
    from core.at_rest import Keyring
    from pipeline.deid.vault import settings_key
    from service.keys import reencrypt, rotate_keys

    settings = load_settings()
    dirs = tuple(extra or ())
    with app_sessions()() as db:
        if only_reencrypt or settings.vault_key:
            if not only_reencrypt:
                console.print("[red]De sleutel komt uit VG_VAULT_KEY; die kan deze opdracht niet aanpassen.[/red]\n"
                              "Zet een nieuwe sleutel vooraan (VG_VAULT_KEY=nieuw,oud), voer 'vg keys rotate --alleen-hersleutelen' "
                              "uit en haal daarna de oude sleutel weg.")
                raise typer.Exit(2)
            report = reencrypt(db, settings.data_dir, Keyring.parse(settings_key(settings)), extra_dirs=dirs)
        else:
            report = rotate_keys(db, settings.data_dir, settings.resolve_vault_key_file(), extra_dirs=dirs, keep_old=keep_old)
    console.print(f"Opnieuw versleuteld: {report.files} bestand(en) en {report.values} databaseveld(en).")
    if not only_reencrypt:
        console.print("De oude sleutel is " + ("bewaard (--houd-oude)." if keep_old else "verwijderd.")
                      + " Start de app en de workers opnieuw, zodat ze de nieuwe sleutel laden.")
