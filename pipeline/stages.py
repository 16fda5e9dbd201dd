"""The stage adapters of ``vg process``: each a function from a typed artefact to a typed artefact.

``make_transcript``   input file + CASE.json      -> Transcript (raw, proposed roles)
``apply_roles``       Transcript + confirmed roles -> Transcript (cheap; never re-runs ASR)
``deidentify``        Transcript                  -> Deidentified (pseudonymised transcript + mapping)
``draft``             PseudonymisedTranscript     -> Verslag
``suggest_services``  Verslag                     -> Verslag with sociale-kaart suggestions
``render``            Verslag                     -> RenderedLetters

Each takes its one options object from :mod:`pipeline.stage_options` and the loaded backends;
none writes run.json or knows about reuse (that is :mod:`pipeline.run_context`).
"""

from __future__ import annotations

import logging
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from core.provenance import StageInfo
from pipeline.audio import decode_audio
from pipeline.backends import Backends
from pipeline.case import CaseMetadata
from pipeline.render import RenderedLetters, render_outputs
from pipeline.run_context import Progress
from pipeline.speakers import neutralise_speaker_labels
from pipeline.stage_options import (
    DeidStageOptions,
    DraftStageOptions,
    KaartStageOptions,
    RenderStageOptions,
    TranscriptStageOptions,
)
from pipeline.transcribe import transcribe
from pipeline.transcript import PseudonymisedTranscript, Role, Transcript
from pipeline.transcript_io import is_transcript_file, read_transcript_file
from pipeline.verslag import Verslag, draft_verslag, summarise_b1

logger = logging.getLogger(__name__)


class Deidentified(BaseModel):
    """Output of de-identification: what the LLM may see, and the mapping only the vault keeps."""

    model_config = ConfigDict(extra="forbid")

    pseudo: PseudonymisedTranscript
    mapping: dict[str, str] = Field(repr=False)


def make_transcript(input_path: Path, case: CaseMetadata, backends: Backends, options: TranscriptStageOptions,
                    info: StageInfo, progress: Progress) -> Transcript:
    """Audio -> transcript (+ diarization and proposed roles), or read an existing transcript file."""
    if is_transcript_file(input_path):
        transcript = neutralise_speaker_labels(read_transcript_file(input_path), case)
        info.options = {"source": transcript.source.kind}
    else:
        audio = decode_audio(input_path, options.audio)
        asr = backends.asr
        plan = None
        if audio.channels > 1 and options.transcribe.channels != "mix":
            from pipeline.diarize.channels import plan_channels

            plan = plan_channels(audio.samples, options.transcribe.channels)
        progress("transcript", f"spraakherkenning op {audio.duration / 60:.1f} min audio")
        transcript = transcribe(audio, asr, options.transcribe, plan)
        info.models.append(asr.model_ref)
        info.options = {"audio_seconds": round(audio.duration, 2), "channels": audio.channels,
                        "channel_plan": plan.summary() if plan else "mix",
                        **options.transcribe.model_dump(mode="json")}
        if options.diarize and options.diarizer.backend != "none":
            from pipeline.diarize import DiarizeOptions, diarize

            diarizer = backends.diarizer
            if diarizer is not None:
                progress("transcript", "sprekers herkennen")
                samples = plan.diarization_audio if plan else audio.mono()
                transcript = diarize(samples, transcript, diarizer, case, DiarizeOptions(
                    num_speakers=options.speakers, max_speakers=options.diarizer.max_speakers))
                info.models.append(diarizer.model_ref)
    if any(s.speaker for s in transcript.segments) and not transcript.speakers:
        from pipeline.diarize import propose_roles

        proposed = propose_roles(transcript, case)
        transcript = transcript.model_copy(update={"speakers": {k: v[0] for k, v in proposed.items()}})
    return transcript


def apply_roles(transcript: Transcript, role_overrides: dict[str, Role]) -> Transcript:
    """Roles confirmed by the gespreksduo, applied on top of the proposed ones."""
    if not role_overrides:
        return transcript
    from pipeline.diarize import apply_role_overrides

    return apply_role_overrides(transcript, dict(role_overrides))


def deidentify(transcript: Transcript, case: CaseMetadata, backends: Backends, options: DeidStageOptions,
               info: StageInfo, vault_file: str) -> Deidentified:
    from pipeline.deid import deidentify as deidentify_transcript

    result = deidentify_transcript(transcript, case, backends.deid_engine, options.deid)
    pseudo = result.pseudonymised.model_copy(update={"vault_file": vault_file})
    info.options = options.deid.model_dump(mode="json")
    info.options["entities_found"] = len(pseudo.entities)
    return Deidentified(pseudo=pseudo, mapping=result.mapping)


def draft(pseudo: PseudonymisedTranscript, backends: Backends, options: DraftStageOptions, info: StageInfo,
          progress: Progress) -> Verslag:
    llm = backends.llm
    progress("verslag", f"concept schrijven met {llm.model_ref.name}")
    verslag = draft_verslag(pseudo, llm, options.draft, embedder=backends.embedder)
    info.models.append(llm.model_ref)
    info.prompt_versions = verslag.prompt_versions
    info.options = options.draft.model_dump(mode="json")
    if verslag.draft is not None:  # prompt and generated tokens and seconds per drafting step
        info.options["stappen"] = [step.model_dump(mode="json") for step in verslag.draft.stappen]
    return verslag


def suggest_services(verslag: Verslag, case: CaseMetadata, backends: Backends, options: KaartStageOptions,
                     info: StageInfo, progress: Progress) -> Verslag:
    """Sociale-kaart suggestions for the ``ik heb nodig`` items (none when switched off or no needs)."""
    info.options = {"enabled": options.enabled, **options.kaart.model_dump(mode="json")}
    if not options.enabled or not verslag.ik_heb_nodig:
        return verslag.model_copy(update={"suggesties": []})
    from pipeline.kaart import suggest

    progress("kaart", "sociale kaart doorzoeken")
    domains = sorted({o.dimensie.replace(" ", "-") for o in verslag.positieve_gezondheid})
    suggestions = suggest(
        [item.tekst for item in verslag.ik_heb_nodig], backends.catalogue, options.kaart,
        gemeente=case.inwoner.gemeente if case.inwoner else None,
        regio=case.regio or options.region, levensdomeinen=domains or None,
        embedder=backends.embedder,
        llm=backends.llm if options.kaart.llm_rerank else None,
    )
    return verslag.model_copy(update={"suggesties": suggestions})


def render(verslag: Verslag, case: CaseMetadata, mapping: dict[str, str], backends: Backends,
           options: RenderStageOptions, out_dir: Path, info: StageInfo, progress: Progress) -> RenderedLetters:
    llm = backends.llm
    progress("render", "samenvatting op B1-niveau schrijven")
    b1 = summarise_b1(verslag, llm, options.b1)
    progress("render", "brief en verslag opmaken (HTML, PDF, tekst)")
    letters = render_outputs(verslag, b1, case, mapping, out_dir, options.render)
    info.models.append(llm.model_ref)
    info.options = options.render.model_dump(mode="json")
    return letters


def reuse_rendered(out_dir: Path, names: tuple[str, ...]) -> RenderedLetters:
    return RenderedLetters(directory=out_dir, files={name: out_dir / name for name in names})
