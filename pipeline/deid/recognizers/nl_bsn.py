"""Dutch citizen service number (BSN): nine digits passing the elfproef, written or spoken."""

from __future__ import annotations

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pipeline.deid.spoken import number_runs, sub_runs


def elfproef(digits: str) -> bool:
    """The BSN eleven test: sum(d_i * w_i) with weights 9..2, -1 is divisible by 11."""
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights)) % 11 == 0


class NlBsnRecognizer(EntityRecognizer):
    """BSN from digit groups or digit words ("een zeven een negen ...") that pass the elfproef.

    A valid elfproef alone gives a medium score (one in eleven random 9-digit numbers passes);
    context words such as "bsn" raise it through Presidio's context enhancer.
    """

    CONTEXT = ["bsn", "burgerservicenummer", "burgerservice", "sofinummer", "sofi", "servicenummer"]
    SCORE = 0.6

    def __init__(self, context: list[str] | None = None, supported_language: str = "nl") -> None:
        super().__init__(
            supported_entities=["BSN"],
            name="NlBsnRecognizer",
            supported_language=supported_language,
            context=context if context is not None else self.CONTEXT,
        )

    def load(self) -> None:  # nothing to load
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None):
        results = []
        for run in number_runs(text):
            for start, end, digits in sub_runs(run, 8, 9):
                if "+" in digits or not elfproef(digits):
                    continue
                if len(digits) == 8 and not text[start:end].startswith("0"):
                    # 8 digits only count when written with the leading zero dropped by the speaker
                    continue
                results.append(
                    RecognizerResult(
                        "BSN", start, end, self.SCORE,
                                                analysis_explanation=AnalysisExplanation(self.name, 0.0), recognition_metadata={
                            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        },
                    )
                )
        return results
