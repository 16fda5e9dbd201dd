"""Dutch street addresses: a street name (by its suffix) with or without a house number."""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer

_SUFFIX = (
    r"(?:straat|laan|weg|plein|singel|gracht|kade|dijk|pad|steeg|dreef|markt|haven|baan|wal|"
    r"ring|dam|allee|boulevard|plantsoen|hof|veld|park|erf|straatje|wetering|kanaal|oord|zoom)"
)
_STREET = (
    r"(?:[A-Z][\w'-]*\s(?:(?:van|de|der|den)\s)*){0,3}"  # "Burgemeester Loeffplein", "Brede Haven"
    r"[A-Z][\w'-]*?" + _SUFFIX + r"(?:-(?:Noord|Oost|Zuid|West))?"
)
_MULTI_CAP = r"(?:[A-Z][\w'-]+\s){1,2}[A-Z][\w'-]+"
_NUMBER = r"\s(?:nummer\s)?\d{1,4}(?:\s?[a-zA-Z](?![\w]))?(?:-\d{1,3})?"


class NlAddressRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("street + house number", r"(?-i:\b" + _STREET + _NUMBER + r"\b)", 0.75),
        # "de Brede Haven 3": capitalised words then a number, after an address preposition
        Pattern("capitalised + number", r"(?-i:(?<=\b(?:op|aan)\s(?:de|het)\s)" + _MULTI_CAP + _NUMBER + r"\b)", 0.6),
        Pattern("street", r"(?-i:\b" + _STREET + r"\b)", 0.45),
        Pattern("house number", r"(?i)(?<=\bhuisnummer\s)\d{1,4}(?:\s?[a-z](?!\w))?\b", 0.6),
    ]
    CONTEXT = ["adres", "woon", "woont", "wonen", "straat", "verhuisd", "huisnummer"]

    def __init__(self, supported_language: str = "nl", context: list[str] | None = None) -> None:
        super().__init__(
            supported_entity="ADRES",
            name="NlAddressRecognizer",
            patterns=self.PATTERNS,
            context=context if context is not None else self.CONTEXT,
            supported_language=supported_language,
            global_regex_flags=re.DOTALL | re.MULTILINE,
        )
