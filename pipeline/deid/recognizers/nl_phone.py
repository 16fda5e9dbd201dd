"""Dutch phone numbers (06, landlines, +31 / 0031), as digits, groups or digit words."""

from __future__ import annotations

import re

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pipeline.deid.spoken import number_runs, sub_runs


def normalise_phone(digits: str) -> str | None:
    """National 10-digit form of a Dutch number, or ``None`` if the digits are not one."""
    d = digits
    if d.startswith("+31"):
        d = "0" + d[3:]
    elif d.startswith("0031"):
        d = "0" + d[4:]
    if "+" in d:
        return None
    if len(d) == 10 and d[0] == "0" and d[1] != "0":
        return d
    return None


class NlPhoneRecognizer(EntityRecognizer):
    """Dutch phone numbers.

    Ten digits starting with 0 (or +31/0031 plus nine) score high. Nine digits starting with 6
    (a mobile number read without its leading "nul") only count next to a phone context word.
    """

    CONTEXT = ["bel", "bellen", "telefoon", "telefoonnummer", "nummer", "mobiel", "06", "gsm", "whatsapp", "app"]
    SCORE = 0.7
    _NEAR = re.compile(r"(?i)\b(bel|bellen|telefoon\w*|mobiel\w*|nummer|whatsapp|gsm)\b")

    def __init__(self, context: list[str] | None = None, supported_language: str = "nl") -> None:
        super().__init__(
            supported_entities=["TELEFOON"],
            name="NlPhoneRecognizer",
            supported_language=supported_language,
            context=context if context is not None else self.CONTEXT,
        )

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None):
        results = []
        for run in number_runs(text):
            for start, end, digits in sub_runs(run, 9, 13):
                score = None
                if normalise_phone(digits):
                    score = self.SCORE
                elif len(digits) == 9 and digits[0] == "6" and self._NEAR.search(text[max(0, start - 40) : start]):
                    score = self.SCORE
                if score is None:
                    continue
                results.append(
                    RecognizerResult(
                        "TELEFOON", start, end, score,
                        analysis_explanation=AnalysisExplanation(self.name, 0.0), recognition_metadata={
                            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        },
                    )
                )
        # keep the longest reading: drop sub-runs inside another detected number
        return [r for r in results if not any(o is not r and o.start <= r.start and r.end <= o.end for o in results)]
