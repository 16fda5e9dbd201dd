"""Adapters that run one stage for :mod:`pipeline.runner` and write its artefacts.

Kept apart from the runner so each stage's glue (which options, which files) reads in one place.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.audio import decode_audio
from pipeline.case import CaseMetadata
from core.provenance import StageInfo
from pipeline.speakers import neutralise_speaker_labels
from pipeline.transcribe import transcribe
from pipeline.transcript import PseudonymisedTranscript, Transcript
from pipeline.transcript_io import is_transcript_file, read_transcript_file

if TYPE_CHECKING:
    from pipeline.runner import _Run

logger = logging.getLogger(__name__)

VAULT_FILE = "pseudoniemen.vault"
RENDERED_FILES = (
    "verslag.html", "advies-huisarts.html", "advies-huisarts.txt", "advies-huisarts.pdf",
    "samenvatting-b1.html", "samenvatting-b1.txt",
)


def deid_conf_dir() -> Path:
    import pipeline.deid

    return Path(pipeline.deid.__file__).parent / "conf"


def make_transcript(run: "_Run", input_path: Path, case: CaseMetadata, info: StageInfo) -> Transcript:
    """Audio -> transcript (+ diarization), or read an existing transcript file."""
    options = run.options
    if is_transcript_file(input_path):
        transcript = neutralise_speaker_labels(read_transcript_file(input_path), case)
        info.options = {"source": transcript.source.kind}
    else:
        audio = decode_audio(input_path, options.audio)
        asr = run.backends.asr
        plan = None
        if audio.channels > 1 and options.transcribe.channels != "mix":
            from pipeline.diarize.channels import plan_channels

            plan = plan_channels(audio.samples, options.transcribe.channels)
        run.progress("transcript", f"spraakherkenning op {audio.duration / 60:.1f} min audio")
        transcript = transcribe(audio, asr, options.transcribe, plan)
        info.models.append(asr.model_ref)
        info.options = {"audio_seconds": round(audio.duration, 2), "channels": audio.channels,
                        "channel_plan": plan.summary() if plan else "mix",
                        **options.transcribe.model_dump(mode="json")}
        if options.diarize and run.backends.settings.diarization_backend != "none":
            from pipeline.diarize import DiarizeOptions, diarize

            diarizer = run.backends.diarizer
            if diarizer is not None:
                run.progress("transcript", "sprekers herkennen")
                samples = plan.diarization_audio if plan else audio.mono()
                transcript = diarize(samples, transcript, diarizer, case, DiarizeOptions(
                    num_speakers=options.speakers, max_speakers=run.backends.settings.diarization_max_speakers))
                info.models.append(diarizer.model_ref)
    if options.role_overrides:
        from pipeline.diarize import apply_role_overrides

        transcript = apply_role_overrides(transcript, options.role_overrides)
    elif any(s.speaker for s in transcript.segments) and not transcript.speakers:
        from pipeline.diarize import propose_roles

        proposed = propose_roles(transcript, case)
        transcript = transcript.model_copy(update={"speakers": {k: v[0] for k, v in proposed.items()}})
    run.write("transcript.json", transcript)
    return transcript


def deidentify(run: "_Run", transcript: Transcript, case: CaseMetadata, info: StageInfo) -> tuple[PseudonymisedTranscript, dict[str, str]]:
    from pipeline.deid import deidentify as deidentify_transcript
    from pipeline.deid.vault import save_vault

    options = run.backends.deid_options
    result = deidentify_transcript(transcript, case, run.backends.deid_engine, options)
    pseudo = result.pseudonymised.model_copy(update={"vault_file": VAULT_FILE})
    save_vault(result.mapping, run.out / VAULT_FILE, run.backends.vault_key)
    run.write("transcript.pseudo.json", pseudo)
    info.options = options.model_dump(mode="json")
    info.options["entities_found"] = len(pseudo.entities)
    return pseudo, result.mapping


def load_pseudo(run: "_Run") -> tuple[PseudonymisedTranscript, dict[str, str]]:
    from pipeline.deid.vault import load_vault

    pseudo = PseudonymisedTranscript.model_validate_json((run.out / "transcript.pseudo.json").read_text())
    return pseudo, load_vault(run.out / VAULT_FILE, run.backends.vault_key)


def _draft_options(run: "_Run") -> Any:
    from pipeline.verslag import DraftOptions

    return DraftOptions.from_settings(run.backends.settings)


def draft(run: "_Run", pseudo: PseudonymisedTranscript, case: CaseMetadata, info: StageInfo) -> Any:
    from pipeline.verslag import draft_verslag

    llm = run.backends.llm
    run.progress("verslag", f"concept schrijven met {llm.model_ref.name} (sectie voor sectie)")
    verslag = draft_verslag(pseudo, llm, _draft_options(run), embedder=run.backends.embedder)
    info.models.append(llm.model_ref)
    info.prompt_versions = dict(getattr(verslag, "prompt_versions", {}) or {})
    if run.options.suggest_services and verslag.ik_heb_nodig:
        from pipeline.kaart import KaartOptions, suggest

        run.progress("verslag", "sociale kaart doorzoeken")
        settings = run.backends.settings
        domains = sorted({o.dimensie.replace(" ", "-") for o in verslag.positieve_gezondheid})
        suggestions = suggest(
            [item.tekst for item in verslag.ik_heb_nodig], run.backends.catalogue,
            KaartOptions.from_settings(settings),
            gemeente=case.inwoner.gemeente if case.inwoner else None,
            regio=case.regio or settings.region, levensdomeinen=domains or None,
            embedder=run.backends.embedder,
            llm=llm if settings.kaart_llm_rerank else None,
        )
        verslag = verslag.model_copy(update={"suggesties": suggestions})
    run.write("verslag.json", verslag)
    return verslag


def load_verslag(run: "_Run") -> Any:
    from pipeline.verslag import Verslag

    return Verslag.model_validate_json((run.out / "verslag.json").read_text())


def render(run: "_Run", verslag: Any, case: CaseMetadata, mapping: dict[str, str], info: StageInfo) -> dict[str, Path]:
    from pipeline.render import RenderOptions, render_outputs
    from pipeline.verslag import summarise_b1

    llm = run.backends.llm
    run.progress("render", "samenvatting op B1-niveau schrijven")
    b1 = summarise_b1(verslag, llm, _draft_options(run))
    run.progress("render", "brief en verslag opmaken (HTML, PDF, tekst)")
    paths = render_outputs(verslag, b1, case, mapping, run.out, RenderOptions.from_settings(run.backends.settings))
    assert run.record is not None
    for name, path in paths.items():
        run.record.outputs[name] = Path(path).name
    info.models.append(llm.model_ref)
    return paths


def reuse_rendered(run: "_Run") -> dict[str, Path]:
    return {name: run.out / name for name in RENDERED_FILES}
