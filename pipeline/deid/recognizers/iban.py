"""IBAN (Dutch and other SEPA countries) with the ISO 13616 mod-97 checksum."""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer


def iban_checksum_ok(value: str) -> bool:
    s = "".join(value.split()).upper()
    if len(s) < 15 or len(s) > 34 or not s[:2].isalpha() or not s[2:4].isdigit():
        return False
    rearranged = s[4:] + s[:4]
    try:
        number = "".join(str(int(c, 36)) for c in rearranged)
    except ValueError:
        return False
    return int(number) % 97 == 1


class IbanRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("IBAN (NL)", r"(?i)\bNL\s?\d{2}\s?[A-Z]{4}(?:\s?\d){10}\b", 0.6),
        Pattern("IBAN (SEPA)", r"(?-i:\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30}\b)", 0.4),
    ]
    CONTEXT = ["iban", "rekeningnummer", "rekening", "bankrekening", "overmaken", "overgemaakt", "bank"]

    def __init__(self, supported_language: str = "nl", context: list[str] | None = None) -> None:
        super().__init__(
            supported_entity="IBAN",
            name="IbanRecognizer",
            patterns=self.PATTERNS,
            context=context if context is not None else self.CONTEXT,
            supported_language=supported_language,
            global_regex_flags=re.DOTALL | re.MULTILINE,
        )

    def validate_result(self, pattern_text: str) -> bool:
        return iban_checksum_ok(pattern_text)
