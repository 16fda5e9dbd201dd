"""``vg eval``: run the evaluation suites, compare two runs, and handle human review sheets."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from cli.common import console, handle_errors

app = typer.Typer(help="Evaluatie voor de werkgroep AI: meten tegen acceptatiecriteria, rapport in het Nederlands.",
                  no_args_is_help=True)
review_app = typer.Typer(help="Menselijke beoordeling van concepten (PDQI-9-achtig beoordelingsformulier).", no_args_is_help=True)
app.add_typer(review_app, name="review")


@app.command("run")
@handle_errors
def run_cmd(
    out: Path = typer.Option(..., "--out", help="Uitvoermap voor results.json en report.html."),
    suite: list[str] = typer.Option(["all"], "--suite", help="asr, speakers, pii, verslag, kaart, e2e of all (mag herhaald worden); daarnaast asr-real en speakers-real (echte Nederlandse spraak, niet in all)."),
    data: Path | None = typer.Option(None, "--data", help="Map met samples.jsonl (eigen geannoteerde gesprekken); standaard de synthetische ontwikkelset."),
    config: Path | None = typer.Option(None, "--config", help="TOML met modellen, instellingen en suite-opties (zie docs/evaluation.md)."),
    criteria: Path | None = typer.Option(None, "--criteria", help="Eigen criteriabestand; standaard eval/criteria.toml."),
) -> None:
    """Draai de suites; exit-code 1 als een acceptatiecriterium niet gehaald wordt."""
    from eval.core.criteria import DEFAULT_CRITERIA
    from eval.runner import load_config, run_eval

    log = run_eval(suite, out, data=data, config=load_config(config), config_file=config,
                   criteria_file=criteria or DEFAULT_CRITERIA)
    table = Table(title="Acceptatiecriteria")
    for col in ("criterium", "waarde", "eis", "uitslag"):
        table.add_column(col)
    for c in log.criteria:
        value = "–" if c.value is None else f"{c.value:.3f}"
        style = {"geslaagd": "green", "gezakt": "bold red"}.get(c.status, "dim")
        table.add_row(c.id, value, f"{c.op} {c.threshold:g}", f"[{style}]{c.status}[/]")
    console.print(table)
    console.print(f"Rapport: {out / 'report.html'}  ·  resultaten: {out / 'results.json'}")
    if log.status != "success":
        console.print("[bold red]Niet alle criteria gehaald.[/] Zie het rapport voor de onderbouwing.")
        raise typer.Exit(1)


@app.command("compare")
@handle_errors
def compare_cmd(
    run_a: Path = typer.Argument(..., help="Uitvoermap (of results.json) van run A."),
    run_b: Path = typer.Argument(..., help="Uitvoermap (of results.json) van run B."),
) -> None:
    """Zet twee runs naast elkaar: configuratieverschillen en alle maten met het verschil."""
    from eval.compare import compare_logs
    from eval.core.log import read_log

    comparison = compare_logs(read_log(run_a), read_log(run_b))
    if comparison.config_differences:
        cfg = Table(title="Configuratie die verschilt")
        for col in ("instelling", "A", "B"):
            cfg.add_column(col)
        for d in comparison.config_differences:
            cfg.add_row(d.key, d.a, d.b)
        console.print(cfg)
    table = Table(title="Maten (A → B)")
    for col in ("suite", "maat", "A", "B", "verschil", "beter?"):
        table.add_column(col)
    for row in comparison.metrics:
        table.add_row(row.task, row.metric, row.fmt(row.a), row.fmt(row.b), row.fmt(row.delta, signed=True), row.verdict)
    console.print(table)


@review_app.command("export")
@handle_errors
def review_export_cmd(
    drafts: list[Path] = typer.Argument(..., help="verslag.json-bestanden of mappen van 'vg process'."),
    out: Path = typer.Option(..., "--out", help="Map voor de beoordelingsformulieren."),
    raters: list[str] = typer.Option(["beoordelaar-1", "beoordelaar-2"], "--rater", help="Code per beoordelaar (geen namen nodig)."),
) -> None:
    """Maak per concept en per beoordelaar een invulformulier (CSV + HTML met uitleg)."""
    from eval.review import export_sheets

    paths = export_sheets(drafts, out, raters)
    console.print(f"{len(paths)} formulieren geschreven in {out}")


@review_app.command("import")
@handle_errors
def review_import_cmd(
    sheets: list[Path] = typer.Argument(..., help="Ingevulde CSV-formulieren of een map ermee."),
    out: Path | None = typer.Option(None, "--out", help="Schrijf review.json met scores en overeenstemming hierheen."),
) -> None:
    """Lees ingevulde formulieren in en rapporteer gemiddelden en overeenstemming tussen beoordelaars."""
    from eval.review import import_sheets, summarise

    summary = summarise(import_sheets(sheets))
    table = Table(title=f"Beoordelingen: {summary.n_sheets} formulieren, {summary.n_raters} beoordelaars")
    for col in ("criterium", "gemiddelde", "Krippendorff α (ordinaal)", "gewogen kappa"):
        table.add_column(col)
    for row in summary.items:
        table.add_row(row.item, _f(row.mean), _f(row.alpha), _f(row.kappa))
    console.print(table)
    if out:
        out.mkdir(parents=True, exist_ok=True)
        (out / "review.json").write_text(summary.model_dump_json(indent=2), encoding="utf-8")
        console.print(f"Geschreven: {out / 'review.json'}")


def _f(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"
