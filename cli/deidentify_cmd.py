"""``vg deidentify``: pseudonymise a transcript or text file; the mapping goes into an encrypted vault."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from cli.common import console, handle_errors, load_settings, status
from core.errors import InputError


@handle_errors
def deidentify_command(
    in_path: Path = typer.Option(..., "--in", help="Transcript (.json, .vtt) of tekstbestand ('Spreker: tekst' of platte tekst)."),
    out: Path = typer.Option(..., "--out", help="JSON-uitvoer met gepseudonimiseerde tekst en gevonden spans (zonder originele waarden)."),
    case: Path | None = typer.Option(None, "--case", help="CASE.json met namen en rollen van de deelnemers."),
    region: str | None = typer.Option(None, "--regio", help="Regio voor de lijst met namen van organisaties die blijven staan."),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Vervang persoonsgegevens door vaste plaatshouders ([INWONER], [PERSOON-1] ...). De koppeling naar
    de originele waarden wordt versleuteld bewaard naast de uitvoer (.vault)."""
    from pipeline.case import load_case
    from pipeline.deid import DeidOptions, build_engine, deidentify
    from pipeline.deid.vault import load_or_create_key, save_vault
    from pipeline.transcript_io import read_transcript_file

    settings = load_settings()
    if not in_path.is_file():
        raise InputError(f"Invoerbestand niet gevonden: {in_path.name}", hint="Geef met --in een bestaand transcript of tekstbestand.")
    case_meta = load_case(case)
    transcript = read_transcript_file(in_path)
    options = DeidOptions(config_path=settings.deid_config, region=region or settings.region or case_meta.regio,
                          ner_model=settings.deid_ner_model, spacy_ner_model=settings.models_dir / "nl-ner-enp")
    key = load_or_create_key(settings.resolve_vault_key_file(), settings.vault_key)
    with status("De-identificatie voorbereiden (Deduce laden)...", quiet):
        engine = build_engine(options)
    with status("Persoonsgegevens zoeken en vervangen...", quiet):
        result = deidentify(transcript, case_meta, engine, options)
    vault_path = out.with_suffix(".vault")
    save_vault(result.mapping, vault_path, key)
    pseudo = result.pseudonymised.model_copy(update={"vault_file": vault_path.name})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(pseudo.model_dump(mode="json"), ensure_ascii=False, indent=2), encoding="utf-8")
    if not quiet:
        console.print(f"[green]Klaar:[/] {len(pseudo.entities)} vervangingen in {len(pseudo.segments)} segmenten "
                      f"({result.seconds:.1f} s) -> {out.name}; versleutelde koppeling -> {vault_path.name}")
