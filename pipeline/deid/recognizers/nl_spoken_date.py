"""Dates spoken in full, in the forms :mod:`nl_date` does not cover:

- a year in two words: "veertien maart negentien vijfentachtig", "drie mei twintig tweeëntwintig";
- day and month as ordinals: "de vijftiende van de derde", "op de eerste van de twaalfde
  negentienhonderdzestig";
- three spoken numbers after "geboren (op)", "geboortedatum (is)": "geboren op vijftien drie
  vijfentachtig".

Each value is checked (day 1-31, month 1-12, year 1900-2099 or two digits) before a span counts.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from pipeline.deid.recognizers.nl_date import MONTHS
from pipeline.deid.spoken import spoken_number

_W = r"[^\W\d_]+"
_SPECIAL_ORDINALS = {"eerste": 1, "derde": 3, "achtste": 8}


def ordinal_value(word: str) -> int | None:
    """``vijftiende`` -> 15, ``eerste`` -> 1, ``eenentwintigste`` -> 21, ``3e``/``3de`` -> 3."""
    w = word.lower()
    if w in _SPECIAL_ORDINALS:
        return _SPECIAL_ORDINALS[w]
    for suffix in ("ste", "de", "e"):
        if w.endswith(suffix) and len(w) > len(suffix):
            value = spoken_number(w[: -len(suffix)])
            if value is not None:
                return value
    return spoken_number(w)


def year_value(words: str) -> int | None:
    """A spoken year: one word ("negentienhonderdvijfentachtig"), two words ("negentien
    vijfentachtig" = 1985, "twintig tweeëntwintig" = 2022, "tweeduizend drie" = 2003) or digits."""
    parts = words.lower().split()
    if len(parts) == 1:
        v = spoken_number(parts[0])
        return v if v is not None and (1900 <= v <= 2099 or 0 <= v <= 99) else None
    if len(parts) == 2:
        head, tail = spoken_number(parts[0]), spoken_number(parts[1])
        if head is None or tail is None:
            return None
        if head >= 1000 and tail < 100:  # tweeduizend drie
            v = head + tail
        elif head in (19, 20) and tail < 100:
            v = head * 100 + tail
        else:
            return None
        return v if 1900 <= v <= 2099 else None
    return None


_DAY_MONTH_YEAR2 = re.compile(r"(?i)\b(?P<day>" + _W + r"|\d{1,2})\s(?P<month>" + MONTHS + r")\s(?P<year>" + _W + r"\s" + _W + r")\b")
_ORDINALS = re.compile(r"(?i)\b(?:de\s)?(?P<day>" + _W + r"|\d{1,2}(?:e|ste|de))\svan\sde\s(?P<month>" + _W + r"|\d{1,2}(?:e|ste|de))\b"
                       r"(?P<year>\s" + _W + r"(?:\s" + _W + r")?)?")
_BORN = re.compile(r"(?i)(?<=\b(?:geboren(?:\sop)?|geboortedatum(?:\sis)?)\s)(?!op\b|is\b)(?P<day>" + _W + r")\s(?P<month>" + _W + r")\s(?P<year>" + _W + r"(?:\s" + _W + r")?)")


class NlSpokenDateRecognizer(EntityRecognizer):
    SCORE = 0.8
    CONTEXT = ["geboren", "geboortedatum", "jarig", "verjaardag", "datum"]

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_entities=["DATUM"], name="NlSpokenDateRecognizer",
                         supported_language=supported_language, context=self.CONTEXT)

    def load(self) -> None:
        pass

    def _result(self, start: int, end: int) -> RecognizerResult:
        return RecognizerResult("DATUM", start, end, self.SCORE, analysis_explanation=AnalysisExplanation(self.name, self.SCORE),
                                recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                                      RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})

    @staticmethod
    def _year_end(m, words: str | None) -> int | None:
        """End of the longest prefix of ``words`` (one or two words) that is a year."""
        if not words:
            return None
        parts = words.split()
        for k in (2, 1):
            if len(parts) >= k and year_value(" ".join(parts[:k])) is not None:
                return m.start("year") + len(words) - len(words.lstrip()) + len(" ".join(parts[:k]))
        return None

    def analyze(self, text: str, entities, nlp_artifacts=None):
        results = []
        for m in _DAY_MONTH_YEAR2.finditer(text):
            day = ordinal_value(m.group("day"))
            end = self._year_end(m, m.group("year"))
            if day is not None and 1 <= day <= 31 and end is not None:
                results.append(self._result(m.start(), end))
        for m in _ORDINALS.finditer(text):
            day, month = ordinal_value(m.group("day")), ordinal_value(m.group("month"))
            if day is None or month is None or not (1 <= day <= 31 and 1 <= month <= 12):
                continue
            if spoken_number(m.group("day")) is not None or spoken_number(m.group("month")) is not None:
                continue  # "een van de drie", "de derde van de vijf": both must be ordinals
            end = self._year_end(m, m.group("year")) or m.end("month")
            results.append(self._result(m.start("day") if not m.group(0).lower().startswith("de ") else m.start(), end))
        for m in _BORN.finditer(text):
            day, month = spoken_number(m.group("day")), spoken_number(m.group("month"))
            end = self._year_end(m, m.group("year"))
            if day is not None and month is not None and 1 <= day <= 31 and 1 <= month <= 12 and end is not None:
                results.append(self._result(m.start(), end))
        return results
