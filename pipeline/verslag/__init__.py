"""Drafting the verslag: schema, section-by-section generation, grounding, B1 summary."""

from pipeline.verslag.b1 import summarise_b1
from pipeline.verslag.draft import DraftOptions, draft_verslag
from pipeline.verslag.grounding import GroundingOptions, ground_verslag
from pipeline.verslag.schema import (
    SCHEMA_VERSION,
    B1Summary,
    GroundingResult,
    Item,
    KaartSuggestie,
    Verslag,
)

__all__ = [
    "SCHEMA_VERSION",
    "B1Summary",
    "DraftOptions",
    "GroundingOptions",
    "GroundingResult",
    "Item",
    "KaartSuggestie",
    "Verslag",
    "draft_verslag",
    "ground_verslag",
    "summarise_b1",
]
