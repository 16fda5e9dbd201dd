"""Dutch postcodes: four digits (not starting with 0) and two letters (not SA, SD, SS)."""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer


class NlPostcodeRecognizer(PatternRecognizer):
    PATTERNS = [
        # Upper-case letters as written: specific enough on its own.
        Pattern("postcode", r"(?-i:\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b)", 0.7),
        # Lower case (ASR) only right after the word "postcode".
        Pattern("postcode (lower case)", r"(?i)(?<=postcode\s(?:is\s)?)[1-9]\d{3}\s?[a-z]{2}\b", 0.7),
    ]
    CONTEXT = ["postcode", "adres", "woon", "woont", "wonen"]

    def __init__(self, supported_language: str = "nl", context: list[str] | None = None) -> None:
        super().__init__(
            supported_entity="POSTCODE",
            name="NlPostcodeRecognizer",
            patterns=self.PATTERNS,
            context=context if context is not None else self.CONTEXT,
            supported_language=supported_language,
            global_regex_flags=re.DOTALL | re.MULTILINE,
        )
