"""Drafting the verslag: schema, section-by-section generation, grounding, B1 summary."""

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
    "GroundingResult",
    "Item",
    "KaartSuggestie",
    "Verslag",
]
