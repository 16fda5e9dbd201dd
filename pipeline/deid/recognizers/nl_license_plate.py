"""Dutch license plates (kentekens) in the sidecodes used since 1951, with dashes."""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer

_SIDECODES = [
    r"[A-Z]{2}-\d{2}-\d{2}", r"\d{2}-\d{2}-[A-Z]{2}", r"\d{2}-[A-Z]{2}-\d{2}", r"[A-Z]{2}-\d{2}-[A-Z]{2}",
    r"[A-Z]{2}-[A-Z]{2}-\d{2}", r"\d{2}-[A-Z]{2}-[A-Z]{2}", r"\d{2}-[A-Z]{3}-\d", r"\d-[A-Z]{3}-\d{2}",
    r"[A-Z]{2}-\d{3}-[A-Z]", r"[A-Z]-\d{3}-[A-Z]{2}", r"[A-Z]{3}-\d{2}-[A-Z]", r"[A-Z]-\d{2}-[A-Z]{3}",
    r"\d-[A-Z]{2}-\d{3}", r"\d{3}-[A-Z]{2}-\d",
]


class NlLicensePlateRecognizer(PatternRecognizer):
    PATTERNS = [Pattern("kenteken", r"(?i)\b(?:" + "|".join(_SIDECODES) + r")\b", 0.5)]
    CONTEXT = ["kenteken", "auto", "nummerbord", "scooter", "bus"]

    def __init__(self, supported_language: str = "nl", context: list[str] | None = None) -> None:
        super().__init__(
            supported_entity="KENTEKEN",
            name="NlLicensePlateRecognizer",
            patterns=self.PATTERNS,
            context=context if context is not None else self.CONTEXT,
            supported_language=supported_language,
            global_regex_flags=re.DOTALL | re.MULTILINE,
        )

    def validate_result(self, pattern_text: str) -> bool:
        # Needs both letters and digits; a date such as 12-03-85 has no letters.
        return any(c.isalpha() for c in pattern_text) and any(c.isdigit() for c in pattern_text)
