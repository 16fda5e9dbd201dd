"""Ages: "ik ben veertig jaar", "mijn moeder is 92 jaar", "twaalf jaar oud", "de 38-jarige"."""

from __future__ import annotations

import regex as re
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from pipeline.deid.name_context_words import KINSHIP
from pipeline.deid.spoken import spoken_number

_NUM = r"(?:\d{1,3}|[^\W\d_]+)"
_BE = r"(?:ben|is|wordt|word|werd|was|wordt\sik|word\sik|zijn)"
_NOT_AGE = r"(?!\s(?:keer|uur|weken|maanden|dagen|kilo|euro|procent|minuten|geleden|lang|later|terug|getrouwd|samen|jaar\s(?:geleden|lang|later|terug|getrouwd|samen))\b)"
_PATTERNS = [
    # "hij is tweeëntwintig", "ze werd 58", "die is nu al 40 jaar"
    re.compile(r"(?i)(?<=\b(?:hij|zij|ze|die|u|jij|je|(?:mijn|m'n|zijn|haar|onze)\s(?:" + KINSHIP + r"))\s(?:is|wordt|werd|was)\s(?:(?:vorige|afgelopen|deze|volgende)\s(?:week|maand|zomer|winter)\s)?(?:(?:nu|al|bijna|pas|net|inmiddels)\s){0,2})(?P<n>" + _NUM + r")(?:\sjaar(?:\soud)?)?\b" + _NOT_AGE),
    # "een jongen van 58", "een meisje van tweeëntwintig jaar", "op 58-jarige leeftijd", "leeftijd: 58"
    re.compile(r"(?i)(?<=\b(?:jongen|meisje|man|vrouw|kind|zoon|dochter|meid|knul|dame|heer)\svan\s)(?P<n>" + _NUM + r")(?:\sjaar(?:\soud)?)?\b" + _NOT_AGE),
    re.compile(r"(?i)(?<=\bleeftijd(?:\sis|\svan|:)?\s)(?P<n>" + _NUM + r")(?:\sjaar)?\b"),
    re.compile(r"(?i)(?<=\bvan\s)(?P<n>" + _NUM + r")\sjaar\b(?=\s?(?:oud|[.,?!]|$))"),
    re.compile(r"(?i)(?<=\b" + _BE + r"\s(?:nu\s|al\s|bijna\s|pas\s|net\s)?)(?P<n>" + _NUM + r")\sjaar(?:\soud)?\b(?!\s(?:geleden|lang|later|terug|getrouwd|samen|bij|in|op|met|werkloos|thuis|ziek))"),
    re.compile(r"(?i)\b(?P<n>" + _NUM + r")\sjaar\soud\b"),
    re.compile(r"(?i)\b(?P<n>\d{1,3}|[^\W\d_]+)-?jarige?\b"),
    re.compile(r"(?i)(?<=\b(?:ik\sben|wordt\sik|word\sik|ik\sword)\s(?:nu\s|al\s|bijna\s)?)(?P<n>" + _NUM + r")\b(?!\s(?:jaar|keer|uur|weken|maanden|dagen|kilo|euro|procent|minuten))"),
    re.compile(r"(?i)(?<=\b(?:mijn|m'n|zijn|haar|onze)\s(?:" + KINSHIP + r")\s(?:is\s)?)(?P<n>" + _NUM + r")\b(?!\s(?:keer|uur|weken|maanden|dagen|kilo|euro|procent|minuten|jaar\sgeleden))"),
]


class NlAgeRecognizer(EntityRecognizer):
    SCORE = 0.7

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_entities=["LEEFTIJD"], name="NlAgeRecognizer", supported_language=supported_language)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities, nlp_artifacts=None):
        results = []
        for pattern in _PATTERNS:
            for m in pattern.finditer(text):
                value = spoken_number(m.group("n"))
                if value is None or not 2 <= value <= 120:
                    continue
                results.append(RecognizerResult("LEEFTIJD", m.start(), m.end(), self.SCORE, analysis_explanation=AnalysisExplanation(self.name, 0.0), recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        unique = list({(r.start, r.end): r for r in results}.values())  # two patterns may find the same span
        return [r for r in unique if not any(o is not r and o.start <= r.start and r.end <= o.end for o in unique)]
