"""``vg process``: one VG recording (or transcript) -> draft verslag and advies letter."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Optional

import typer
from rich.progress import Progress, ProgressColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from cli.common import console, handle_errors, load_settings
from core.errors import InputError
from pipeline.backends import Backends
from pipeline.case import load_case
from pipeline.progress import ProgressEstimator, probe_seconds
from pipeline.runner import run_pipeline
from pipeline.stage_options import process_options

STAGE_LABELS = {
    "transcript": "1. Transcript (audio -> tekst, sprekers)",
    "deidentify": "2. Pseudonimiseren",
    "verslag": "3. Conceptverslag",
    "kaart": "4. Sociale kaart",
    "render": "5. Brief, verslag en B1-samenvatting",
}
VALID_ROLES = ("inwoner", "naaste", "ggz", "sociaal", "ervaringsdeskundige", "poh", "onbekend")


class _TimeLeftColumn(ProgressColumn):
    """Per-stage time left from :class:`pipeline.progress.ProgressEstimator` (empty when finished)."""

    def __init__(self, eta: ProgressEstimator) -> None:
        super().__init__()
        self.eta = eta

    def render(self, task) -> Text:  # noqa: ANN001 - rich's Task
        if task.finished:
            return Text("")
        return Text(self.eta.label(task.fields.get("stage", ""), task.elapsed or 0.0), style="cyan")


def _parse_roles(values: list[str]) -> dict[str, str]:
    roles: dict[str, str] = {}
    for value in values:
        label, _, role = value.partition("=")
        if not label or role not in VALID_ROLES:
            raise InputError(f"Ongeldige --rol '{value}'.", hint=f"Gebruik SPREKER_N=ROL met ROL uit: {', '.join(VALID_ROLES)}.")
        roles[label.strip()] = role
    return roles


def process(
    audio: Annotated[Path, typer.Argument(help="Opname (wav, mp3, m4a, ogg, webm, mp4) of transcript (.vtt, transcript.json, .txt met 'Spreker: tekst').")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Uitvoermap; een nieuwe run in dezelfde map hergebruikt voltooide stappen.")],
    case: Annotated[Optional[Path], typer.Option("--case", help="CASE.json met namen en rollen (zie docs/case-json.md).")] = None,
    speakers: Annotated[Optional[int], typer.Option("--speakers", min=1, max=10, help="Aantal sprekers (standaard: deelnemers in CASE.json, anders geschat).")] = None,
    channels: Annotated[str, typer.Option("--channels", help="auto | mix | split: kanalen van een hybride opname apart transcriberen (standaard: VG_DIARIZATION_CHANNELS of auto).")] = "",
    rol: Annotated[Optional[list[str]], typer.Option("--rol", help="Bevestig een rol, bijv. --rol SPREKER_2=naaste (herhaalbaar).")] = None,
    no_kaart: Annotated[bool, typer.Option("--geen-kaart", help="Geen suggesties uit de sociale kaart.")] = False,
    fresh: Annotated[bool, typer.Option("--opnieuw", help="Alle stappen opnieuw uitvoeren, niets hergebruiken.")] = False,
    keep_raw: Annotated[bool, typer.Option("--keep-raw", help="Bewaar het ruwe transcript (met namen) leesbaar als transcript.json; standaard versleuteld (transcript.json.enc). Ook: VG_KEEP_RAW.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Geen voortgang; alleen fouten (voor scripts).")] = False,
) -> None:
    """Verwerk één Verkennend Gesprek: transcript, pseudonimisering, conceptverslag en advies aan de huisarts."""
    _process(audio, out, case, speakers, channels, rol or [], no_kaart, fresh, keep_raw, quiet)


@handle_errors
def _process(audio: Path, out: Path, case_path: Path | None, speakers: int | None, channels: str,
             rol: list[str], no_kaart: bool, fresh: bool, keep_raw: bool, quiet: bool) -> None:
    settings = load_settings()
    channels = channels or settings.diarization_channels
    if channels not in ("auto", "mix", "split"):
        raise InputError(f"Onbekende waarde voor --channels: {channels}", hint="Kies auto, mix of split.")
    if not audio.exists():
        raise InputError(f"Bestand niet gevonden: {audio}", hint="Controleer het pad naar de opname of het transcript.")
    case = load_case(case_path)
    channel_mode: Literal["auto", "mix", "split"] = channels  # type: ignore[assignment]
    defaults = process_options(settings)
    options = process_options(
        settings,
        transcribe=defaults.transcribe.model_copy(update={"channels": channel_mode}),
        speakers=speakers,
        role_overrides=_parse_roles(rol),
        suggest_services=not no_kaart,
        reuse=not fresh,
        keep_raw=keep_raw or settings.keep_raw,
    )
    backends = Backends(settings)
    if quiet:
        record = run_pipeline(audio, out, case=case, backends=backends, options=options)
    else:
        eta = ProgressEstimator(probe_seconds(audio))
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), _TimeLeftColumn(eta),
                      console=console) as bar:
            tasks: dict[str, int] = {}

            def progress(stage: str, message: str) -> None:
                label = STAGE_LABELS.get(stage, stage)
                if stage not in tasks:
                    tasks[stage] = bar.add_task(f"{label}: {message}", total=1, stage=stage)
                bar.update(tasks[stage], description=f"{label}: {message}")
                if message.startswith("klaar") or message == "hergebruikt":
                    if message.startswith("klaar"):
                        eta.finished(stage, bar.tasks[tasks[stage]].elapsed or 0.0)
                    bar.update(tasks[stage], completed=1)

            record = run_pipeline(audio, out, case=case, backends=backends, options=options, progress=progress)
    if not quiet:
        console.print(f"[green]Klaar.[/] Uitvoer in {out}/:")
        for name in sorted(set(record.outputs.values())):
            console.print(f"  {out / name}")
        console.print("[yellow]Let op:[/] dit is een concept. Controleer elk punt tegen het gesprek voordat het verstuurd wordt.")
