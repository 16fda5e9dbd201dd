"""House numbers with a letter or an addition, written or spoken: "140a", "140 A", "12 bis",
"12-2", "12 hs", "nummer 140a", "huisnummer honderdveertig a", "op nummer twaalf bis".

A number with a glued lower-case letter ("140a") is specific enough on its own, except for the
letters that make ordinals, units and multiplications ("2e", "3d", "5k", "4x", "10m", "10u"). A bare
number or a spoken one counts only after "nummer"/"huisnummer"/"nr." or after a street name
(a capitalised word ending in a street suffix).
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from pipeline.deid.spoken import spoken_number

BARE_SCORE = 0.5
"""A bare number after "nummer": kept (privacy first), though "nummer drie op de lijst" is then
redacted too; a context word ("woon", "adres", "postcode" ...) raises it."""
_ADDITION = r"(?:\s?-\s?\d{1,3}|\s(?:bis|hs|huis|boven|beneden|bg|rood|zwart|letter\s[a-z])\b|\s?[a-z](?![\w]))"
_SPOKEN = r"(?:[^\W\d_]+(?:\s[^\W\d_]+){0,3})"
_STREET = r"(?-i:[A-Z][\w'-]*(?:straat|laan|weg|plein|singel|gracht|kade|dijk|pad|steeg|dreef|markt|haven|hof|park|erf|oord|zoom))"
_PATTERNS = [
    ("glued letter", re.compile(r"(?i)(?<![\w.,/-])[1-9]\d{0,3}(?-i:[abcfgijlnopqrtvwyz])(?![\w/%-])"), 0.6),
    ("after nummer + addition", re.compile(r"(?i)(?<=\b(?:huis)?(?:nummer|nr\.?)\s)[1-9]\d{0,3}" + _ADDITION + r"(?![\w])"), 0.75),
    ("after nummer", re.compile(r"(?i)(?<=\b(?:huis)?(?:nummer|nr\.?)\s)[1-9]\d{0,3}(?![\w])"), BARE_SCORE),
    ("after street", re.compile(r"(?<=\b" + _STREET + r"\s)[1-9]\d{0,3}" + _ADDITION + r"(?![\w])"), 0.75),
    ("addition", re.compile(r"(?i)(?<![\w.,])[1-9]\d{0,3}\s(?:bis|hs)\b"), 0.6),
]
_SPOKEN_AFTER_NUMMER = re.compile(r"(?i)(?<=\b(?:huis)?nummer\s)(?P<n>" + _SPOKEN + r")")
_SPOKEN_ADDITION = {"bis", "hs", "huis", "boven", "beneden"}


class NlHouseNumberRecognizer(EntityRecognizer):
    CONTEXT = ["woon", "woont", "wonen", "adres", "huisnummer", "straat", "verhuisd", "postcode"]

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_entities=["ADRES"], name="NlHouseNumberRecognizer",
                         supported_language=supported_language, context=self.CONTEXT)

    def load(self) -> None:
        pass

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult("ADRES", start, end, score, analysis_explanation=AnalysisExplanation(self.name, score),
                                recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                                      RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})

    def analyze(self, text: str, entities, nlp_artifacts=None):
        results = [self._result(m.start(), m.end(), score) for _, pattern, score in _PATTERNS for m in pattern.finditer(text)]
        for m in _SPOKEN_AFTER_NUMMER.finditer(text):
            words = m.group("n").split()
            # the longest prefix of the words that is a number ("honderd veertig a", "twaalf bis")
            for k in range(len(words), 0, -1):
                value = spoken_number(" ".join(w for w in words[:k] if w.lower() != "en"))
                if value is not None and 1 <= value <= 9999:
                    rest = [w.lower() for w in words[k:]]
                    if rest[:1] == ["letter"] and len(rest) > 1 and len(rest[1]) == 1:
                        k, score = k + 2, 0.75
                    elif rest and (rest[0] in _SPOKEN_ADDITION or len(rest[0]) == 1):
                        k, score = k + 1, 0.75
                    elif k == 1 and words[0].lower() in ("een", "één"):  # "nummer een van de lijst"
                        break
                    else:
                        score = BARE_SCORE
                    results.append(self._result(m.start(), m.start() + len(" ".join(words[:k])), score))
                    break
        return results
