"""ASR suite: WER and CER after Dutch normalisation, per recording and per speaker; real-time factor.

Per-speaker WER does not depend on diarization: each recognised word is given to the reference
speaker whose gold segment contains the word's midpoint (word timestamps), so it shows how well
each *voice* is recognised (the inwoner's words matter most for the verslag).
"""

from __future__ import annotations

import time
from pathlib import Path
from collections import defaultdict

import jiwer
from pydantic import BaseModel, ConfigDict

from eval.core.dataset import Dataset
from eval.core.scorer import Score, scorer
from eval.core.task import Task, TaskState
from eval.normalize import DutchNormaliser, NormaliserOptions
from eval.suites.base import DEV_DIR, EvalContext, gold_transcript, suite

SYNTHETIC_LIMITATION = (
    "De ontwikkelset is synthetisch: espeak-ng-stemmen zijn voor Whisper veel moeilijker dan echte spraak, "
    "en echte gesprekken hebben door elkaar praten, dialect en ruis die hier ontbreken. WER/CER op deze set "
    "zegt niets over de nauwkeurigheid op echte opnames; draai de suite op eigen, geannoteerde pilotgesprekken."
)


class AsrSuiteOptions(BaseModel):
    """Options of the asr suite (``[suites.asr]`` in ``--config``)."""

    model_config = ConfigDict(extra="forbid")

    channels: str = "auto"
    """Passed to the transcription stage: ``auto``, ``mix`` or ``split``."""
    normaliser: NormaliserOptions = NormaliserOptions()


def _edit_counts(reference: str, hypothesis: str, *, chars: bool = False) -> tuple[int, int]:
    """(errors, reference length) in words or characters; empty texts handled explicitly."""
    ref_units = len(reference.replace(" ", "")) if chars else len(reference.split())
    if not reference:
        return (len(hypothesis.replace(" ", "")) if chars else len(hypothesis.split())), 0
    if not hypothesis:
        return ref_units, ref_units
    out = jiwer.process_characters(reference, hypothesis) if chars else jiwer.process_words(reference, hypothesis)
    return out.substitutions + out.deletions + out.insertions, (out.substitutions + out.deletions + out.hits)


def reference_text(state: TaskState) -> str:
    return " ".join(s.text for s in gold_transcript(state).segments)


def hypothesis_text(state: TaskState) -> str:
    return " ".join(s.text for s in state.output["transcript"].segments)


@scorer(name="asr/wer", aggregate="ratio", lower_is_better=True,
        description="Woordfoutpercentage (WER) na normalisatie: (vervangingen + weglatingen + invoegingen) / woorden in de referentie.")
def wer(normaliser: DutchNormaliser | None = None):
    norm = normaliser or DutchNormaliser()

    def score(state: TaskState) -> Score:
        ref, hyp = norm(reference_text(state)), norm(hypothesis_text(state))
        errors, n = _edit_counts(ref, hyp)
        value = errors / n if n else None
        return Score(value=value, numerator=errors, denominator=n, answer=f"{len(hyp.split())} woorden herkend",
                     explanation=f"{errors} fouten op {n} referentiewoorden")

    return score


@scorer(name="asr/cer", aggregate="ratio", lower_is_better=True,
        description="Tekenfoutpercentage (CER) na normalisatie, spaties niet meegeteld.")
def cer(normaliser: DutchNormaliser | None = None):
    norm = normaliser or DutchNormaliser()

    def score(state: TaskState) -> Score:
        ref, hyp = norm(reference_text(state)), norm(hypothesis_text(state))
        errors, n = _edit_counts(ref, hyp, chars=True)
        return Score(value=errors / n if n else None, numerator=errors, denominator=n,
                     explanation=f"{errors} tekenfouten op {n} referentietekens")

    return score


def words_by_reference_role(state: TaskState) -> dict[str, list[str]]:
    """Recognised words grouped by the role of the gold speaker active at each word's midpoint."""
    gold = gold_transcript(state)
    spans = [(s.start, s.end, s.role or s.speaker or "onbekend") for s in gold.segments]
    grouped: dict[str, list[str]] = defaultdict(list)
    for seg in state.output["transcript"].segments:
        words = seg.words or []
        if not words:  # no word timestamps: attribute the whole segment by its midpoint
            mid = (seg.start + seg.end) / 2
            grouped[_role_at(spans, mid)].append(seg.text)
            continue
        for w in words:
            grouped[_role_at(spans, (w.start + w.end) / 2)].append(w.word)
    return grouped


def _role_at(spans: list[tuple[float, float, str]], t: float) -> str:
    best, best_dist = "onbekend", float("inf")
    for start, end, role in spans:
        if start <= t <= end:
            return role
        dist = min(abs(t - start), abs(t - end))
        if dist < best_dist:
            best, best_dist = role, dist
    return best


@scorer(name="asr/wer_inwoner", aggregate="ratio", lower_is_better=True,
        description="WER op de woorden van de inwoner (woorden toegewezen op tijd, los van sprekerherkenning); per rol in de details.")
def wer_per_role(normaliser: DutchNormaliser | None = None, *, focus: str = "inwoner"):
    norm = normaliser or DutchNormaliser()

    def score(state: TaskState) -> Score | None:
        gold = gold_transcript(state)
        ref_by_role: dict[str, list[str]] = defaultdict(list)
        for s in gold.segments:
            ref_by_role[s.role or s.speaker or "onbekend"].append(s.text)
        if len(ref_by_role) < 2 and "onbekend" in ref_by_role:
            return None  # no speakers annotated
        hyp_by_role = words_by_reference_role(state)
        per_role = {}
        for role, texts in ref_by_role.items():
            errors, n = _edit_counts(norm(" ".join(texts)), norm(" ".join(hyp_by_role.get(role, []))))
            per_role[role] = {"fouten": errors, "woorden": n, "wer": round(errors / n, 4) if n else None}
        if focus not in per_role:
            return Score(value=None, explanation=f"geen spreker met rol '{focus}' geannoteerd", details={"per_rol": per_role})
        f = per_role[focus]
        return Score(value=f["wer"], numerator=f["fouten"], denominator=f["woorden"], details={"per_rol": per_role},
                     explanation="; ".join(f"{r}: {v['wer']}" for r, v in per_role.items()))

    return score


@scorer(name="asr/rtf", aggregate="ratio", lower_is_better=True,
        description="Real-time factor: rekentijd van decoderen + spraakherkenning gedeeld door de duur van de audio.")
def real_time_factor():
    def score(state: TaskState) -> Score:
        seconds = state.timings.get("audio", 0.0) + state.timings.get("asr", 0.0)
        duration = state.output["audio_seconds"]
        return Score(value=seconds / duration if duration else None, numerator=seconds, denominator=duration,
                     explanation=f"{seconds:.1f} s rekentijd voor {duration:.1f} s audio")

    return score


def transcribe_audio(ctx: EvalContext, options: AsrSuiteOptions):
    """Solver: decode the sample's audio and run the transcription stage with the configured ASR."""
    from models.asr import AsrOptions
    from pipeline.audio import AudioOptions, decode_audio
    from pipeline.transcribe import TranscribeOptions, transcribe

    settings = ctx.settings
    t_options = TranscribeOptions(
        asr=AsrOptions(beam_size=settings.asr_beam_size, batch_size=settings.asr_batch_size,
                                     word_timestamps=settings.asr_word_timestamps),
        channels=options.channels,
    )

    def solve(state: TaskState) -> None:
        started = time.perf_counter()
        audio = decode_audio(state.dataset.path(state.sample.input), AudioOptions(
            max_seconds=settings.max_audio_seconds, max_file_mb=settings.max_file_mb))
        state.timings["audio"] = time.perf_counter() - started
        asr = ctx.backends.asr
        ctx.record_model("asr", asr.model_ref)
        started = time.perf_counter()
        state.output["transcript"] = transcribe(audio, asr, t_options)
        state.timings["asr"] = time.perf_counter() - started
        state.output["audio_seconds"] = audio.duration
        state.cache["audio"] = audio  # reused by later solvers (diarization), never written out

    return solve


@suite("asr", default_data=DEV_DIR, description="Spraakherkenning: WER, CER, WER per spreker, real-time factor")
def asr_suite(ctx: EvalContext, dataset: Dataset) -> Task:
    options: AsrSuiteOptions = ctx.options("asr", AsrSuiteOptions)  # type: ignore[assignment]
    norm = DutchNormaliser(options.normaliser)
    return Task(
        name="asr",
        dataset=dataset,
        solver=[transcribe_audio(ctx, options)],
        scorer=[wer(norm), cer(norm), wer_per_role(norm), real_time_factor()],
        metadata={"normaliser": options.normaliser.model_dump(), "channels": options.channels},
        limitations=[SYNTHETIC_LIMITATION] if dataset.synthetic else [],
    )


REAL_DATA_DIR = DEV_DIR.parents[2] / "out" / "eval-data" / "speech-nl"
"""Where the real-speech suites build their held-out conversations (see eval/data/speech-nl/README.md)."""

READ_SPEECH_LIMITATION = (
    "Echte stemmen (twee sprekers, CC0), maar voorgelezen zinnen, één spreker tegelijk en zonder ruis: "
    "de WER ligt lager dan in een echt VG. Alleen uitingen uit de achtergehouden helft; de ASR-instellingen "
    "zijn gekozen op de andere helft."
)


def real_speech_dataset(directory: Path) -> Dataset:
    """The held-out real-speech conversations in ``directory``, built from the corpus when absent."""
    from eval.core.dataset import load_jsonl
    from eval.speech_nl import build_dataset

    if not (directory / "samples.jsonl").is_file():
        build_dataset(directory, part="heldout", minutes=2.0, seeds=(1, 2))
    return load_jsonl(directory, name="speech-nl-heldout")


@suite("asr-real", default_data=REAL_DATA_DIR, uses_conversations=False,
       description="Spraakherkenning op echte Nederlandse stemmen (achtergehouden helft van speech-nl): WER, CER, RTF")
def asr_real_suite(ctx: EvalContext, directory: Path) -> Task:
    options: AsrSuiteOptions = ctx.options("asr", AsrSuiteOptions)  # type: ignore[assignment]
    norm = DutchNormaliser(options.normaliser)
    dataset = real_speech_dataset(directory).filter(ctx.config.samples)
    return Task(
        name="asr-real", dataset=dataset, solver=[transcribe_audio(ctx, options)],
        scorer=[wer(norm), cer(norm), real_time_factor()],
        metadata={"normaliser": options.normaliser.model_dump(), "data": "speech-nl held-out"},
        limitations=[READ_SPEECH_LIMITATION],
    )
