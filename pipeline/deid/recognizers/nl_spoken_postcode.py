"""Postcodes read aloud: four digits (digits or number words, "vijf twee één twee",
"tweeënvijftig twaalf", "52 12") followed by two letters spoken as letters ("X N", "iks en"),
as NATO or Dutch spelling-alphabet words ("xray november", "Anton Bernard").

A number run that gives exactly four digits (not starting with 0) directly followed by two letter
tokens is a postcode; letters SA, SD, SS are never issued and refused (``validate``). Without
letters, four spoken digits are not enough (they could be a year or an amount), except right
after the word "postcode".
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from pipeline.deid.spoken import number_runs

#: Letter names: single letters, Dutch letter names, NATO and the Dutch spelling alphabet.
LETTERS: dict[str, str] = {c: c for c in "abcdefghijklmnopqrstuvwxyz"}
LETTERS.update({
    "aa": "a", "bee": "b", "cee": "c", "dee": "d", "ee": "e", "ef": "f", "gee": "g", "ha": "h", "haa": "h",
    "ie": "i", "jee": "j", "ka": "k", "kaa": "k", "el": "l", "em": "m", "en": "n", "oo": "o", "pee": "p",
    "ku": "q", "kuu": "q", "er": "r", "es": "s", "tee": "t", "uu": "u", "vee": "v", "wee": "w", "iks": "x",
    "ix": "x", "ypsilon": "y", "ij": "y", "zet": "z", "zed": "z",
    # NATO
    "alfa": "a", "alpha": "a", "bravo": "b", "charlie": "c", "delta": "d", "echo": "e", "foxtrot": "f",
    "golf": "g", "hotel": "h", "india": "i", "juliet": "j", "juliett": "j", "kilo": "k", "lima": "l",
    "mike": "m", "november": "n", "oscar": "o", "papa": "p", "quebec": "q", "romeo": "r", "sierra": "s",
    "tango": "t", "uniform": "u", "victor": "v", "whiskey": "w", "whisky": "w", "xray": "x", "x-ray": "x",
    "yankee": "y", "zulu": "z",
    # Dutch spelling alphabet
    "anton": "a", "bernard": "b", "cornelis": "c", "dirk": "d", "eduard": "e", "ferdinand": "f",
    "gerard": "g", "hendrik": "h", "izaak": "i", "jan": "j", "karel": "k", "lodewijk": "l", "marie": "m",
    "nico": "n", "otto": "o", "pieter": "p", "quotient": "q", "rudolf": "r", "simon": "s", "teunis": "t",
    "utrecht": "u", "willem": "w", "xantippe": "x", "zaandam": "z",
})
_LETTER_TOKEN = re.compile(r"\s*[,.]?\s*([^\W\d_]+(?:-ray)?)\b", re.IGNORECASE)
#: Letter names that are also ordinary words ("2019 en er was"): after digits written as digits,
#: two of these need "postcode" before; after number words ("vijf twee één twee ee aa") they count.
AMBIGUOUS = {"en", "er", "es", "el", "em", "ie", "ee", "ha", "ka", "ij", "aa", "oo", "ku", "u", "a", "o", "e", "i",
             "jan", "golf", "hotel", "lima", "papa", "simon", "marie", "karel", "willem", "pieter", "dirk", "otto"}
_REFUSED = {"sa", "sd", "ss"}
_POSTCODE_WORD = re.compile(r"(?i)\bpostcode(?:\s(?:is|was|wordt))?[\s:,]*$")


def validate(digits: str, letters: str) -> bool:
    return len(digits) == 4 and digits[0] != "0" and len(letters) == 2 and letters.lower() not in _REFUSED


def _letters_after(text: str, pos: int) -> tuple[str, int, bool] | None:
    """Two letter tokens right after ``pos``: their letters, the end offset and whether both
    tokens were ambiguous words."""
    found = ""
    end = pos
    ambiguous = True
    for _ in range(2):
        m = _LETTER_TOKEN.match(text, end)
        if m is None:
            return None
        word = m.group(1).lower()
        if len(word) == 2 and not found and m.group(1).isupper():  # "XN" written together
            found, end, ambiguous = word, m.end(), False
            break
        letter = LETTERS.get(word)
        if letter is None:
            return None
        found += letter
        end = m.end()
        ambiguous = ambiguous and word in AMBIGUOUS
    return (found, end, ambiguous) if len(found) == 2 else None


class NlSpokenPostcodeRecognizer(EntityRecognizer):
    SCORE = 0.8
    SCORE_DIGITS_AFTER_WORD = 0.7
    CONTEXT = ["postcode", "adres", "woon", "woont"]

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_entities=["POSTCODE"], name="NlSpokenPostcodeRecognizer",
                         supported_language=supported_language, context=self.CONTEXT)

    def load(self) -> None:
        pass

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult("POSTCODE", start, end, score, analysis_explanation=AnalysisExplanation(self.name, score),
                                recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                                      RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})

    def analyze(self, text: str, entities, nlp_artifacts=None):
        results = []
        for run in number_runs(text):
            for i in range(len(run)):
                digits = ""
                for j in range(i, len(run)):
                    digits += run[j].digits
                    if len(digits) > 4:
                        break
                    if len(digits) < 4 or digits[0] == "0":
                        continue
                    if j + 1 < len(run) and len(digits + run[j + 1].digits) <= 4:
                        continue
                    after = _letters_after(text, run[j].end)
                    said = _POSTCODE_WORD.search(text, 0, run[i].start) is not None
                    spoken = any(not text[t.start : t.end].isdigit() for t in run[i : j + 1])
                    if after is not None and validate(digits, after[0]) and (said or spoken or not after[2]):
                        results.append(self._result(run[i].start, after[1], self.SCORE))
                    elif said:
                        results.append(self._result(run[i].start, run[j].end, self.SCORE_DIGITS_AFTER_WORD))
        return results
