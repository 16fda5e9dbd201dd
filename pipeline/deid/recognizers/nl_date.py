"""Dates: numeric (14-03-1985) and Dutch day-month(-year), also fully spoken
("veertien maart negentienhonderdvijfentachtig"). Relative expressions ("volgende week dinsdag",
"over zes weken") are no dates and stay."""

from __future__ import annotations

import regex as re
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from pipeline.deid.spoken import spoken_number

MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
_ORDINAL = re.compile(r"(?i)^(?P<n>.+?)(?:ste|de|e)$")
_NUMERIC = re.compile(r"\b(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.](?:\d{4}|\d{2})\b")
_DAY_MONTH = re.compile(
    r"(?i)\b(?P<day>\d{1,2}|[^\W\d_]+)\s(?P<month>" + MONTHS + r")\b(?P<year>\s(?:\d{4}|'?\d{2}\b|[^\W\d_]+))?"
)


def _day_value(word: str) -> int | None:
    value = spoken_number(word)
    if value is None:
        m = _ORDINAL.match(word)
        if m:
            value = spoken_number(m.group("n"))
    return value


class NlDateRecognizer(EntityRecognizer):
    SCORE = 0.85
    CONTEXT = ["geboren", "geboortedatum", "jarig", "verjaardag", "datum"]

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_entities=["DATUM"], name="NlDateRecognizer", supported_language=supported_language,
                         context=self.CONTEXT)

    def load(self) -> None:
        pass

    def _result(self, start: int, end: int) -> RecognizerResult:
        return RecognizerResult("DATUM", start, end, self.SCORE, analysis_explanation=AnalysisExplanation(self.name, 0.0), recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})

    def analyze(self, text: str, entities, nlp_artifacts=None):
        results = [self._result(m.start(), m.end()) for m in _NUMERIC.finditer(text)]
        for m in _DAY_MONTH.finditer(text):
            day = _day_value(m.group("day"))
            if day is None or not 1 <= day <= 31:
                continue
            end = m.end("month")
            year = m.group("year")
            if year:
                y = year.strip().lstrip("'")
                value = spoken_number(y)
                if value is not None and (value >= 1900 or (len(y) == 2 and y.isdigit()) or 0 <= value <= 99 and not y.isdigit()):
                    end = m.end("year")
            results.append(self._result(m.start(), end))
        return results
