"""Evidence mode of the drafting stage (``DraftOptions.mode == "evidence"``): label, group, write,
decide, compose. See ``docs/drafting.md`` and :mod:`pipeline.verslag.evidence`,
:mod:`pipeline.verslag.compose`.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from models.llm.base import LLMBackend
from pipeline.transcript import PseudonymisedTranscript
from pipeline.verslag import schema as s
from pipeline.verslag.afspraken import afspraken_from_sentences
from pipeline.verslag.compose import (
    compose_advies,
    decide,
    decision_ids,
    outcome_items,
    uitkomst_items,
    write_items,
)
from pipeline.verslag.cues import cue_labels
from pipeline.verslag.evidence import LABELS, StepCounter, group_segments, label_segments
from pipeline.verslag.outcome import decide_outcome
from pipeline.verslag.prompts import load_prompt

if TYPE_CHECKING:
    from pipeline.verslag.options import DraftOptions

logger = logging.getLogger(__name__)

LIST_SECTIONS = ("ik_wil", "ik_kan", "ik_heb_nodig", "afspraken", "overbrugging")
SINGLE_SECTIONS = ("hulpvraag", "regie", "evaluatiemoment", "vragen_naar", "uitkomst")


def _stats(step: str, counter: StepCounter) -> s.StepStats:
    return s.StepStats(stap=step, verzoeken=counter.requests, prompt_tokens=counter.prompt_tokens,  # type: ignore[arg-type]
                       completion_tokens=counter.completion_tokens, seconds=round(counter.seconds, 3),
                       fouten=counter.failures)


def draft_evidence(
    pt: PseudonymisedTranscript, llm: LLMBackend, options: DraftOptions,
) -> tuple[s.Verslag, dict[str, str], list[s.StepStats], dict[str, list[int]]]:
    """Verslag (before the final grounding pass), prompt versions, per-step stats, evidence labels."""
    evidence_prompt = load_prompt("verslag_bewijs", "evidence")
    write_prompt = load_prompt("verslag_bewijs", "write")
    decide_prompt = load_prompt("verslag_bewijs", "decide")
    repair = load_prompt("verslag", "repair")
    used = (evidence_prompt, write_prompt, decide_prompt, repair) if "llm" in options.evidence_labeller \
        else (write_prompt, decide_prompt, repair)
    versions = {p.id: p.version_tag for p in used}
    segments = {seg.id: seg for seg in pt.segments}

    label_counter = StepCounter()
    evidence: dict[str, list[int]] = {name: [] for name in LABELS}
    if "cues" in options.evidence_labeller:
        started = time.perf_counter()
        for name, ids in cue_labels(pt.segments, horizon=options.cue_horizon).items():
            evidence[name] = sorted(set(evidence[name]) | set(ids))
        label_counter.seconds += time.perf_counter() - started
    if "llm" in options.evidence_labeller:
        output_tokens = options.evidence_tokens_per_segment * options.window_segments + 16
        fixed = llm.count_tokens(evidence_prompt.text) + output_tokens + options.context_margin_tokens
        window_tokens = min(options.window_tokens, llm.context_tokens - fixed)
        by_model = label_segments(
            pt.segments, llm, evidence_prompt, repair, window_tokens=max(window_tokens, 64),
            window_segments=options.window_segments, overlap=options.window_overlap,
            max_tokens_per_segment=options.evidence_tokens_per_segment,
            max_retries=min(options.max_retries, 1), seed=options.seed, counter=label_counter)
        for name, ids in by_model.items():
            evidence[name] = sorted(set(evidence[name]) | set(ids))

    started = time.perf_counter()
    texts = {seg.id: seg.text for seg in pt.segments}
    wanted = [name for name in LABELS if name in options.sections or _parent(name) in options.sections]
    groups = {name: group_segments(evidence[name], texts, max_gap=options.group_max_gap,
                                   max_group=options.group_max_segments)[: options.max_items_per_section]
              for name in wanted}
    group_counter = StepCounter(seconds=time.perf_counter() - started)

    write_counter = StepCounter()
    written: dict[str, list[s.Item]] = {}
    for name in wanted:
        limit = options.max_items_per_section if name in LIST_SECTIONS else 1
        if name == "afspraken" and options.afspraken_writer == "sentences":
            closing = {seg.id for seg in pt.segments[int(len(pt.segments) * (1 - options.outcome_tail)):]}
            planning = set(evidence["afspraken"]) | closing & (set(evidence["uitkomst"]) | set(evidence["overbrugging"]))
            written[name] = list(afspraken_from_sentences(sorted(planning), segments, limit))
            continue
        written[name] = [
            item for group in groups[name][:limit]
            for item in write_items(name, group, segments, llm, write_prompt, repair, options.grounding,
                                   max_tokens=options.item_max_tokens, max_retries=min(options.max_retries, 1),
                                   seed=options.seed, counter=write_counter)
        ][:limit]

    decide_counter = StepCounter()
    verslag = s.Verslag()
    for name in ("ik_wil", "ik_kan", "ik_heb_nodig", "overbrugging"):
        setattr(verslag, name, written.get(name, []))
    verslag.afspraken = [i for i in written.get("afspraken", []) if isinstance(i, s.Afspraak)]
    first = {name: (written.get(name) or [None])[0] for name in SINGLE_SECTIONS}
    if first["hulpvraag"] is not None:
        verslag.hulpvraag = s.Hulpvraag(**first["hulpvraag"].model_dump())
    if first["regie"] is not None:
        verslag.regie = s.Regie(**first["regie"].model_dump())
    if first["evaluatiemoment"] is not None:
        verslag.evaluatiemoment = s.Evaluatiemoment(**first["evaluatiemoment"].model_dump())
    verslag.vragen_naar = first["vragen_naar"]
    ruled = decide_outcome(pt.segments, tail=options.outcome_tail) \
        if "uitkomst" in options.sections and options.outcome_decider == "rules" else None
    if ruled is not None:
        started = time.perf_counter()
        verslag.uitkomst, verslag.ggz_verwijzing_nodig = outcome_items(ruled)
        decide_counter.seconds += time.perf_counter() - started
    elif "uitkomst" in options.sections:
        besluit = decide(evidence, segments, llm, decide_prompt, repair, max_segments=options.decide_max_segments,
                         max_retries=min(options.max_retries, 1), seed=options.seed, counter=decide_counter)
        verslag.uitkomst, verslag.ggz_verwijzing_nodig = uitkomst_items(
            besluit, first["uitkomst"], decision_ids(evidence, options.decide_max_segments))

    started = time.perf_counter()
    if "advies_huisarts" in options.sections:
        verslag.advies_huisarts = compose_advies(verslag)
    compose_counter = StepCounter(seconds=time.perf_counter() - started)
    stats = [_stats("bewijs", label_counter), _stats("groeperen", group_counter), _stats("schrijven", write_counter),
             _stats("beslissen", decide_counter), _stats("samenstellen", compose_counter)]
    logger.info("evidence mode: %d labelled segments, %d items",
                sum(len(v) for v in evidence.values()), sum(len(v) for v in written.values()))
    return verslag, versions, stats, evidence


def _parent(label: str) -> str:
    """The ``DraftOptions.sections`` name a label belongs to (vervolg holds four of them)."""
    return "vervolg" if label in ("regie", "overbrugging", "evaluatiemoment", "vragen_naar") else label
