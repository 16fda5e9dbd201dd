"""Options of the drafting stage (and of the B1 summary), apart so every drafting mode can import them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pipeline.verslag.grounding import GroundingOptions
from pipeline.verslag.sections import SECTION_NAMES


class DraftOptions(BaseModel):
    """Options of the drafting stage (and of the B1 summary)."""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["evidence", "sections"] = "evidence"
    """``evidence``: label the transcript once, group, write one item per group (docs/drafting.md);
    ``sections``: one request per section over the (retrieved) transcript."""
    sections: list[str] = Field(default_factory=lambda: list(SECTION_NAMES))
    """Sections to draft, in order; the others stay empty (status ``overgeslagen``)."""
    max_tokens_per_section: int = 512
    max_retries: int = 2
    """Repair attempts after the first answer; then the section is left empty."""
    temperature: float = 0.0
    seed: int = 0
    long_context: Literal["auto", "retrieval"] = "auto"
    """``auto``: the whole transcript when it fits, else per-section retrieval; ``retrieval``: always select."""
    context_margin_tokens: int = 256
    """Safety margin kept free in the context window (chat-template tokens, estimate errors)."""
    neighbours: int = 1
    """Retrieval: segments on either side of a hit that are added for context."""
    grounding: GroundingOptions = Field(default_factory=GroundingOptions)
    evidence_labeller: Literal["cues", "llm", "cues+llm"] = "cues"
    """Evidence mode, step 1: ``cues`` labels segments from the VG method's questions and the
    speakers' own phrasing (no model, :mod:`pipeline.verslag.cues`); ``llm`` asks the model per
    window (needs a model that can say "geen": the bundled 1.5B cannot, docs/drafting.md);
    ``cues+llm`` takes the union of both."""
    cue_horizon: int = 5
    """Evidence mode, cues: a question's section applies to answers at most this many segments later."""
    window_tokens: int = 3072
    """Evidence mode: transcript tokens per labelling window (capped by the context)."""
    window_overlap: int = 2
    """Evidence mode: segments repeated at the start of the next window."""
    window_segments: int = 40
    """Evidence mode: at most this many segments per labelling window (bounds the answer length)."""
    evidence_tokens_per_segment: int = 8
    """Evidence mode: answer tokens allowed per segment of a window (``"123": "ik_heb_nodig",``)."""
    item_max_tokens: int = 96
    group_max_gap: int = 3
    """Evidence mode: turns between two segments that may still share a group (with a shared word)."""
    group_max_segments: int = 4
    max_items_per_section: int = 6
    decide_max_segments: int = 16
    afspraken_writer: Literal["sentences", "llm"] = "sentences"
    """Evidence mode: ``sentences`` takes each action sentence of the labelled planning turns as one
    afspraak, with wie/wanneer from the sentence (:mod:`pipeline.verslag.afspraken`); ``llm`` asks the
    model to write them per group."""
    outcome_decider: Literal["rules", "llm"] = "rules"
    """Evidence mode, step 4: ``rules`` decides uitkomst from the professionals' closing proposals
    (:mod:`pipeline.verslag.outcome`) and asks the model only when no rule applies; ``llm`` always asks."""
    outcome_tail: float = Field(default=0.4, gt=0.0, le=1.0)
    """Evidence mode, rules: the closing share of the conversation where the duo plans the vervolg."""
    b1_max_tokens: int = 400
    b1_include_unsupported: bool = False
    """Include ``niet_onderbouwd`` items in the B1 summary for the inwoner (default: no)."""

    @field_validator("sections")
    @classmethod
    def _known_sections(cls, value: list[str]) -> list[str]:
        unknown = [v for v in value if v not in SECTION_NAMES]
        if unknown:
            raise ValueError(f"onbekende secties: {', '.join(unknown)}; kies uit {', '.join(SECTION_NAMES)}")
        return value
