"""``vg kaart``: import, export, search and evaluate the sociale kaart."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from cli.common import console, handle_errors, load_settings
from pipeline.kaart import open_catalogue, suggest
from pipeline.stage_options import kaart_options

logging.getLogger("bm25s").setLevel(logging.WARNING)  # its index-building chatter is not for users

app = typer.Typer(help="Sociale kaart: importeren (HSDS 3.0 of CSV), exporteren, zoeken en evalueren.", no_args_is_help=True)


def _embedder(spec: str | None):  # noqa: ANN202 - optional heavy import
    if not spec:
        return None
    from models.embeddings_st import load_embedder

    return load_embedder(spec)


@app.command("import")
@handle_errors
def import_(
    file: Path = typer.Argument(..., help="Vlakke CSV, HSDS-JSON of map/datapackage.json met HSDS-CSV's."),
    bron: str = typer.Option(..., "--bron", help="Naam van de bron; een bestaande bron met deze naam wordt vervangen."),
    regio: Optional[str] = typer.Option(None, "--regio", help="Regio van de bron (als de data die niet zelf noemt)."),
) -> None:
    """Importeer een sociale kaart. Bij een fout wordt niets opgeslagen."""
    settings = load_settings()
    catalogue = open_catalogue(settings.database_path)
    result = catalogue.import_file(file, bron=bron, region=regio or settings.region)
    extra = f" ({result.replaced} vorige vervangen)" if result.replaced else ""
    console.print(f"[green]Geïmporteerd:[/] {result.services} diensten uit {file.name} als bron '{result.bron}' "
                  f"({result.format}){extra}.")


@app.command("export")
@handle_errors
def export(
    out: Optional[Path] = typer.Option(None, "--out", help="Schrijf naar dit bestand in plaats van stdout."),
    bron: Optional[str] = typer.Option(None, "--bron", help="Alleen deze bron."),
) -> None:
    """Exporteer de catalogus als HSDS 3.0 JSON."""
    catalogue = open_catalogue(load_settings().database_path)
    text = json.dumps(catalogue.export_hsds(bron), ensure_ascii=False, indent=2)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        console.print(f"[green]Geëxporteerd naar[/] {out}.")


@app.command("zoek")
@handle_errors
def zoek(
    tekst: str = typer.Argument(..., help="Wat de inwoner nodig heeft, in eigen woorden."),
    gemeente: Optional[str] = typer.Option(None, "--gemeente"),
    regio: Optional[str] = typer.Option(None, "--regio"),
    type_: list[str] = typer.Option([], "--type", help="Voorzieningstype (herhaalbaar), bijv. informeel."),
    levensdomein: list[str] = typer.Option([], "--levensdomein", help="Alleen aanbod voor dit levensdomein (herhaalbaar)."),
    leeftijd: Optional[int] = typer.Option(None, "--leeftijd", help="Leeftijd van de inwoner."),
    aantal: int = typer.Option(5, "--aantal", min=1, max=50),
    modus: str = typer.Option("auto", "--modus", help="lexical, dense, hybrid of auto."),
    als_json: bool = typer.Option(False, "--json", help="Uitvoer als JSON."),
) -> None:
    """Zoek passend aanbod voor één hulpvraag."""
    settings = load_settings()
    catalogue = open_catalogue(settings.database_path)
    options = kaart_options(settings, top_k=aantal, voorziening_types=type_, mode=modus,
                            only_levensdomeinen=levensdomein, leeftijd=leeftijd)
    results = suggest([tekst], catalogue, options, gemeente=gemeente, regio=regio or settings.region,
                      embedder=_embedder(settings.embedding_model) if modus != "lexical" else None)
    if als_json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in results], ensure_ascii=False, indent=2))
        return
    if not results:
        console.print("Geen aanbod gevonden voor deze plaats en filters.")
        return
    table = Table(show_lines=True)
    for col in ("#", "aanbod", "score", "waarom", "bron / datum"):
        table.add_column(col)
    for i, r in enumerate(results, 1):
        datum = r.laatst_gewijzigd.isoformat() if r.laatst_gewijzigd else "datum onbekend"
        flags = (" [red]verouderd[/]" if r.verouderd else "") + (" [yellow]zwak[/]" if r.zwak else "")
        table.add_row(str(i), f"{r.naam}\n[dim]{r.service_id}[/]" + (f"\n{r.contact}" if r.contact else ""),
                      f"{r.score:.3f}", r.reden, f"{r.bron}\n{datum}{flags}")
    console.print(table)


@app.command("eval")
@handle_errors
def eval_(
    modus: list[str] = typer.Option([], "--modus", help="lexical/dense/hybrid (herhaalbaar); standaard alle beschikbare."),
    doelgroep: str = typer.Option("inwoner", "--doelgroep", help="inwoner of alle."),
    embedding_model: Optional[str] = typer.Option(None, "--embedding-model", help="Lokale map of 'all-minilm-l6-v2'."),
    als_json: bool = typer.Option(False, "--json"),
) -> None:
    """Meet P@3, recall@5 en MRR per zoekmodus op de gold-hulpvragen (bundelde catalogus)."""
    import tempfile

    from eval.kaart import evaluate_kaart, load_gold
    from eval.kaart.evaluate import format_table

    settings = load_settings()
    embedder = _embedder(embedding_model or settings.embedding_model)
    modes = modus or (["lexical", "dense", "hybrid"] if embedder else ["lexical"])
    with tempfile.TemporaryDirectory() as tmp:  # the gold refers to the bundled seed, not the user's database
        catalogue = open_catalogue(Path(tmp) / "kaart-eval.sqlite3")
        report = evaluate_kaart(catalogue, load_gold(), modes=modes, embedder=embedder, audience=doelgroep)
        catalogue.close()
    typer.echo(report.model_dump_json(indent=2) if als_json else format_table(report))
