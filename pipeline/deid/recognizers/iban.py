"""IBAN (Dutch and other SEPA countries) with the ISO 13616 mod-97 checksum."""

from __future__ import annotations

import regex as re
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult

from pipeline.deid.spoken import word_value


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


#: Dutch names of letters as ASR writes them when an IBAN is read aloud ("en el" = NL).
LETTER_NAMES = {
    "a": "A", "be": "B", "bee": "B", "b": "B", "c": "C", "cee": "C", "se": "C", "d": "D", "de": "D", "dee": "D",
    "e": "E", "ee": "E", "ef": "F", "f": "F", "g": "G", "gee": "G", "ge": "G", "h": "H", "ha": "H", "i": "I",
    "j": "J", "jee": "J", "je": "J", "k": "K", "ka": "K", "l": "L", "el": "L", "m": "M", "em": "M",
    "n": "N", "en": "N", "o": "O", "p": "P", "pee": "P", "pe": "P", "q": "Q", "ku": "Q", "r": "R", "er": "R",
    "s": "S", "es": "S", "t": "T", "tee": "T", "te": "T", "u": "U", "v": "V", "vee": "V", "ve": "V",
    "w": "W", "wee": "W", "we": "W", "x": "X", "iks": "X", "y": "Y", "ij": "Y", "z": "Z", "zet": "Z",
}
_SPOKEN_TOKEN = re.compile(r"\d+|[^\W\d_]+", re.UNICODE)
_NL_IBAN = re.compile(r"NL\d{2}[A-Z]{4}\d{10}")


class SpokenIbanRecognizer(EntityRecognizer):
    """An IBAN read aloud: "en el negen een a b n a nul vier ..." (letter names, digit words,
    digit groups). The mod-97 checksum decides; a sequence that fails it is no IBAN."""

    SCORE = 0.85

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_entities=["IBAN"], name="SpokenIbanRecognizer", supported_language=supported_language)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities, nlp_artifacts=None):
        # every token with the characters it may stand for; "een" is a digit, "e" a letter
        tokens: list[tuple[int, int, tuple[str, ...]]] = []
        for m in _SPOKEN_TOKEN.finditer(text):
            tok = m.group(0).lower()
            options = []
            if tok.isdigit():
                options.append(tok)
            else:
                digits = word_value(tok)
                if digits is not None:
                    options.append(digits)
                if tok in LETTER_NAMES:
                    options.append(LETTER_NAMES[tok])
                elif m.group(0).isupper() and len(tok) <= 4:  # "ABNA" written as a block
                    options.append(m.group(0))
            tokens.append((m.start(), m.end(), tuple(options)))
        results = []
        i = 0
        while i < len(tokens):
            found = self._match_from(tokens, i)
            if found is None:
                i += 1
                continue
            j = found
            results.append(RecognizerResult("IBAN", tokens[i][0], tokens[j][1], self.SCORE, analysis_explanation=AnalysisExplanation(self.name, 0.0), recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
            i = j + 1
        return results

    @staticmethod
    def _match_from(tokens, i: int) -> int | None:
        """Index of the last token of an NL IBAN starting at token ``i``, or ``None``. Letters go
        where the IBAN shape wants letters (positions 0-1 and 4-7), digits elsewhere."""
        chars, j = "", i
        while j < len(tokens) and len(chars) < 18:
            options = tokens[j][2]
            pos = len(chars)
            want_letter = pos < 2 or 4 <= pos < 8
            pick = next((o for o in options if o.isalpha() == want_letter and len(chars) + len(o) <= (8 if want_letter else 18)), None)
            if pick is None:
                return None
            chars += pick
            j += 1
        if len(chars) == 18 and _NL_IBAN.fullmatch(chars) and iban_checksum_ok(chars):
            return j - 1
        return None
