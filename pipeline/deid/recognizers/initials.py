"""Initials that stand for a person: a writer's or note-taker's initials in brackets at the end of a
piece ("( KS )", "(PJB)") or alone on a line ("JS").

Two or three letters, at least two of them capitals ("KS", "RoM", "ABx"). Abbreviations that
stand for something else are left: three or more capitals hunspell knows ("GGZ", "UWV", "WMO")
and the two-letter ones in :data:`ABBREVIATIONS`; the allow-list applies as to any span.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer

from pipeline.deid.lexicon import Lexicon

ABBREVIATIONS = frozenset({"EU", "VS", "VN", "NS", "BV", "NV", "TV", "PC", "CV", "WW", "OV", "ID", "AH", "HR", "ZZ"})


class InitialsRecognizer(PatternRecognizer):
    SCORE = 0.5
    PATTERNS = [
        Pattern("initialen tussen haakjes", r"(?<=\(\s?)[A-Z][A-Za-z]{1,2}(?=\s?\))", SCORE),
        Pattern("initialen op een eigen regel", r"^[ \t]*\K[A-Z][A-Za-z]{1,2}(?=[ \t]*$)", SCORE),
    ]

    def __init__(self, lexicon: Lexicon, supported_language: str = "nl") -> None:
        self.lexicon = lexicon
        super().__init__(supported_entity="PERSOON", name="InitialsRecognizer", patterns=self.PATTERNS, context=[],
                         supported_language=supported_language, global_regex_flags=re.MULTILINE)

    def validate_result(self, pattern_text: str) -> bool:
        if sum(c.isupper() for c in pattern_text) < 2 or pattern_text in ABBREVIATIONS:
            return False
        return not (len(pattern_text) >= 3 and pattern_text.isupper() and self.lexicon.knows_abbreviation(pattern_text))
