"""Named institutions that can point to a person: schools, practices, clinics, foundations,
employers. By context, not by list:

- an institution word before a capitalised name: "basisschool De Regenboog", "Stichting De
  Overloop", "Kliniek Zonnehoeve", "Bakkerij Van Dongen" (the word is part of the name when it is
  capitalised);
- a compound or multi-word name ending in an institution word: "Margrietschool",
  "Sint-Janslyceum", "Stedelijk Gymnasium", "Koning Willem I College";
- a legal form after the name: "Schoonmaakbedrijf Pietersen BV";
- work context: "ik werk bij Albert Heijn", "werkte bij Hendrix Transport".

Organisations on the allow-list (sociale kaart) are subtracted afterwards by the engine, so
"ik werk bij Farent" keeps Farent.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from pipeline.deid.lexicon import Lexicon

KIND = (
    r"basisschool|school|huisartsenpraktijk|praktijk|kliniek|stichting|verpleeghuis|verzorgingshuis|"
    r"woonzorgcentrum|zorgboerderij|gezondheidscentrum|apotheek|kinderdagverblijf|kinderopvang|bakkerij|"
    r"garage|kapsalon|restaurant|hotel|supermarkt|tandartspraktijk|fysiotherapie|sportschool|vereniging|"
    r"voetbalclub|kerk|moskee|gemeente\s(?=[A-Z])|college|lyceum|ziekenhuis|instelling|bedrijf|firma"
)
_CAP = r"(?:[A-Z][\w'’&-]*|I{1,3}|IV|V)"
_NAME = r"(?:(?:De|Het|'t|Sint|St\.)\s)?" + _CAP + r"(?:\s(?:(?:van|de|der|den|het|en|op)\s)*" + _CAP + r")*"
_SUFFIX = r"(?:school|college|lyceum|gymnasium|kliniek|ziekenhuis|praktijk|academie|huis|hof|centrum)"
_PATTERNS = [
    # "basisschool De Regenboog" -> the name; "Stichting De Overloop" -> all of it
    (re.compile(r"(?-i:(?<![\w-])(?P<kind>(?i:" + KIND + r"))\s(?P<name>" + _NAME + r"))"), 0.7),
    # "Margrietschool", "Sint-Janslyceum", "Stedelijk Gymnasium", "Koning Willem I College"
    (re.compile(r"(?-i:\b(?P<name>(?:" + _CAP + r"\s){0,3}[A-Z][\w'’-]*(?i:" + _SUFFIX + r")))(?![\w-])"), 0.65),
    (re.compile(r"(?-i:\b(?P<name>(?:" + _CAP + r"\s){1,3}(?:College|Gymnasium|Lyceum|Ziekenhuis|Kliniek|Academie)))\b"), 0.7),
    # legal form
    (re.compile(r"(?-i:\b(?P<name>(?:" + _CAP + r"\s){1,3}(?:BV|B\.V\.|bv|NV|N\.V\.|VOF|vof)))(?![\w])"), 0.75),
    # employer after "werk(te) bij", "gewerkt bij/voor", "in dienst bij", "schoongemaakt voor"
    (re.compile(r"(?i:\b(?:werk|werkt|werkte|werkten|werken|gewerkt|in\sdienst|stage\sgelopen|schoongemaakt|ontslagen)"
                r"\s(?:bij|voor)\s(?:de\s|het\s)?)(?-i:(?P<name>" + _NAME + r"))"), 0.8),
]


class InstitutionRecognizer(EntityRecognizer):
    def __init__(self, lexicon: Lexicon, supported_language: str = "nl") -> None:
        self.lexicon = lexicon
        super().__init__(supported_entities=["INSTELLING"], name="InstitutionRecognizer", supported_language=supported_language)

    def load(self) -> None:
        pass

    def _sentence_initial(self, text: str, start: int) -> bool:
        before = text[:start].rstrip(" \"'(")
        return not before or before[-1] in ".!?:\n"

    def analyze(self, text: str, entities, nlp_artifacts=None):
        results = []
        for pattern, score in _PATTERNS:
            for m in pattern.finditer(text):
                start, end = m.span("name")
                name = m.group("name")
                if "kind" in pattern.groupindex and m.group("kind")[:1].isupper():
                    start = m.start("kind")  # "Stichting De Overloop": the word belongs to the name
                words = name.split()
                # a single capitalised ordinary word ("school Vandaag") is no name
                if len(words) == 1 and self.lexicon.is_common(words[0].lower()) and not re.search(_SUFFIX + r"$", words[0], re.I):
                    continue
                if len(words) == 1 and words[0].lower() in {"de", "het"}:
                    continue
                if self._sentence_initial(text, start) and len(words) == 1 and start == m.start("name") \
                        and self.lexicon.is_common(words[0].lower()):
                    continue
                results.append(RecognizerResult("INSTELLING", start, end, score, analysis_explanation=AnalysisExplanation(self.name, 0.0), recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        return results
