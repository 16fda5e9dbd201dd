"""The drafting stage: PseudonymisedTranscript -> Verslag, section by section, then grounding.

Each section is one request with its own versioned prompt and output schema (constrained decoding
where the backend supports it, validate-and-repair always). A section whose every attempt fails is
left empty and marked ``leeg_na_fouten`` with the raw output in the diagnostics; nothing is
invented and nothing crashes. When the transcript does not fit the context, each section sees the
segments retrieved for it (see :mod:`pipeline.verslag.longcontext`).
"""

from __future__ import annotations

import logging
import time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.embeddings import EmbeddingBackend
from models.llm.base import LLMBackend, Message
from core.errors import DraftError
from pipeline.transcript import PseudonymisedTranscript
from pipeline.verslag.draft_evidence import draft_evidence
from pipeline.verslag.options import DraftOptions
from pipeline.verslag.grounding import GroundingOptions, ground_verslag
from pipeline.verslag.longcontext import segment_line, select_segments
from pipeline.verslag.prompts import load_prompt
from pipeline.verslag.schema import DraftInfo, SectionRun, Verslag
from pipeline.verslag.sections import SECTION_NAMES, section
from pipeline.verslag.structured import generate_structured, schema_instruction

logger = logging.getLogger(__name__)


def _transcript_budget(llm: LLMBackend, fixed_text: str, options: DraftOptions, repair_tokens: int) -> int:
    reserve = options.max_tokens_per_section + options.context_margin_tokens
    if options.max_retries > 0:
        # A repair request repeats the (truncated) failed answer and adds the repair prompt.
        reserve += min(options.max_tokens_per_section, 600) + repair_tokens
    return llm.context_tokens - llm.count_tokens(fixed_text) - reserve


def draft_verslag(
    pt: PseudonymisedTranscript,
    llm: LLMBackend,
    options: DraftOptions,
    embedder: EmbeddingBackend | None = None,
) -> Verslag:
    """Draft the verslag from a pseudonymised transcript; raw transcripts are refused."""
    if not isinstance(pt, PseudonymisedTranscript):
        raise TypeError(
            "draft_verslag accepts only a PseudonymisedTranscript (raw text never reaches an LLM); "
            f"got {type(pt).__name__}"
        )
    if not pt.segments:
        raise DraftError(
            "Het gepseudonimiseerde transcript bevat geen tekst; er valt geen verslag te maken.",
            hint="Controleer de opname of het transcript; misschien is er niets herkend.",
        )
    started = time.perf_counter()
    if options.mode == "evidence":
        return _draft_evidence_mode(pt, llm, options, embedder, started)
    system = load_prompt("verslag", "system")
    repair = load_prompt("verslag", "repair")
    prompt_versions = {system.id: system.version_tag, repair.id: repair.version_tag}
    full_ids = [s.id for s in pt.segments]
    lines = {s.id: segment_line(s) for s in pt.segments}
    transcript_tokens = llm.count_tokens("\n".join(lines.values()))
    repair_tokens = llm.count_tokens(repair.text) + 64
    verslag = Verslag()
    runs: list[SectionRun] = []
    mode: Literal["volledig", "retrieval"] = "volledig"
    for name in SECTION_NAMES:
        spec = section(name)
        prompt = load_prompt("verslag", name)
        prompt_versions[prompt.id] = prompt.version_tag
        if name not in options.sections:
            runs.append(SectionRun(sectie=name, prompt_version=prompt.version_tag, status="overgeslagen"))
            continue
        instruction = prompt.text
        if not llm.supports_json_schema:
            instruction += "\n\n" + schema_instruction(spec.output)
        header, footer = "Gesprek (segmenten met nummer):\n", f"\n\nOpdracht:\n{instruction}"
        budget = _transcript_budget(llm, system.text + header + footer, options, repair_tokens)
        if budget <= 0:
            raise DraftError(
                "Het contextvenster van het taalmodel is te klein voor de opdracht.",
                hint="Verhoog VG_LLM_CONTEXT_TOKENS of verlaag VG_LLM_MAX_TOKENS_PER_SECTION.",
            )
        if options.long_context == "auto" and transcript_tokens + len(full_ids) <= budget:
            ids = full_ids
        else:
            ids = select_segments(pt.segments, spec.query, budget, llm.count_tokens, neighbours=options.neighbours)
            mode = "retrieval"
        messages = [
            Message(role="system", content=system.text),
            Message(role="user", content=header + "\n".join(lines[i] for i in ids) + footer),
        ]
        result = generate_structured(
            llm,
            messages,
            spec.output,
            repair_prompt=repair,
            task=name,
            max_tokens=options.max_tokens_per_section,
            max_retries=options.max_retries,
            temperature=options.temperature,
            seed=options.seed,
        )
        if result.value is not None:
            spec.apply(verslag, result.value)
        runs.append(
            SectionRun(
                sectie=name,
                prompt_version=prompt.version_tag,
                status="ok" if result.value is not None else "leeg_na_fouten",
                pogingen=result.attempts,
                seconds=round(result.seconds, 3),
                prompt_tokens=result.prompt_tokens,
                completion_tokens=result.completion_tokens,
                segmenten_in_prompt=ids,
                fouten=result.errors,
                ruwe_uitvoer=result.raw_outputs if result.value is None else [],
            )
        )
        logger.info("section %s: %s after %d attempt(s), %.1f s", name, runs[-1].status, result.attempts, result.seconds)
    ground_verslag(verslag, pt, options.grounding, embedder)
    verslag.draft = DraftInfo(
        model=llm.model_ref,
        prompt_versions=prompt_versions,
        options=options.model_dump(mode="json"),
        lange_context=mode,
        transcript_tokens=transcript_tokens,
        secties=runs,
        wall_seconds=round(time.perf_counter() - started, 3),
    )
    return verslag


def _draft_evidence_mode(
    pt: PseudonymisedTranscript, llm: LLMBackend, options: DraftOptions,
    embedder: EmbeddingBackend | None, started: float,
) -> Verslag:
    verslag, versions, stats, evidence = draft_evidence(pt, llm, options)
    ground_verslag(verslag, pt, options.grounding, embedder)
    verslag.draft = DraftInfo(
        model=llm.model_ref,
        prompt_versions=versions,
        options=options.model_dump(mode="json"),
        lange_context="volledig",
        transcript_tokens=llm.count_tokens("\n".join(segment_line(s) for s in pt.segments)),
        modus="evidence",
        stappen=stats,
        bewijs=evidence,
        wall_seconds=round(time.perf_counter() - started, 3),
    )
    return verslag
