"""De-identification of Dutch VG transcripts: Presidio + Deduce + Dutch recognizers, reversible
pseudonyms with an encrypted vault. See docs/deidentification.md."""

from pipeline.deid.engine import DeidEngine, build_engine, warm_up
from pipeline.deid.options import DeidOptions
from pipeline.deid.pseudonymise import reidentify
from pipeline.deid.stage import DeidResult, TextDeidResult, deidentify, deidentify_text

__all__ = [
    "DeidEngine", "DeidOptions", "DeidResult", "TextDeidResult", "build_engine", "deidentify",
    "deidentify_text", "reidentify", "warm_up",
]
