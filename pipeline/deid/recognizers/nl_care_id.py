"""Identifiers: AGB and BIG registration numbers, client, dossier and case numbers.

Any number (or letter-digit code) right after a word that names an identifier.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer

_LEAD = (
    r"(?:agb|big|cliënt|client|dossier|klant|zaak|registratie|patiënt|patient|polis|lid|"
    r"pas|document|paspoort|rijbewijs|verzekerden|relatie|referentie|kenmerk)"
)


class NlCareIdRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern(
            "identifier after its name",
            r"(?i)(?<=\b" + _LEAD + r"[\s-]?(?:nummer|code|nr\.?)\s(?:is\s|(?:van|bij)\s(?:\w+\s){1,3}is\s)?)"
            r"(?:(?-i:[A-Z]{2,4})\s(?=\d))?(?=[\w-]*\d)[A-Z0-9][\w-]{3,}\b",
            0.7,
        ),
    ]
    CONTEXT = ["agb", "big", "dossiernummer", "cliëntnummer", "nummer"]

    def __init__(self, supported_language: str = "nl", context: list[str] | None = None) -> None:
        super().__init__(
            supported_entity="ID", name="NlCareIdRecognizer", patterns=self.PATTERNS,
            context=context if context is not None else self.CONTEXT, supported_language=supported_language,
            global_regex_flags=re.DOTALL | re.MULTILINE,
        )
