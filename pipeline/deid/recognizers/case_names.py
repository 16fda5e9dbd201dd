"""Names from CASE.json: always caught, with their role placeholder.

Matches first names alone, surnames with or without interfix ("de Wit", "dewit"), possessives
("Sandra's", "Kees'"), lower case, and ASR misspellings one or two letters off ("peters" for
"Peeters", "ahmet" for "Ahmed"). Built per call (ad hoc), since every case has other names.
"""

from __future__ import annotations

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from rapidfuzz.distance import Levenshtein

from pipeline.deid.case_people import INTERFIXES, CasePerson
from pipeline.deid.lexicon import Lexicon
from pipeline.deid.words import WordToken, word_tokens

CASE_PERSON_KEY = "case_placeholder"


class CaseNameRecognizer(EntityRecognizer):
    SCORE = 1.0
    FUZZY_SCORE = 0.85

    def __init__(self, people: list[CasePerson], lexicon: Lexicon, fuzzy: bool = True, supported_language: str = "nl") -> None:
        self.people = people
        self.lexicon = lexicon
        self.fuzzy = fuzzy
        self._cache: dict[str, tuple] = {}
        super().__init__(supported_entities=["PERSOON"], name="CaseNameRecognizer", supported_language=supported_language)

    def load(self) -> None:
        pass

    def _forms(self, person: CasePerson) -> tuple[set[str], set[str], set[str], str | None, list[str]]:
        forms = self._cache.get(person.placeholder)
        if forms is None:
            given = {g.lower() for g in person.first_names}
            cores = {c.lower() for c in person.surname_core}
            strict = {c for c in cores if self.lexicon.is_common(c)}  # "Wit": only with a capital
            joined = "".join(person.surname).lower() if len(person.surname) > 1 else None  # "dewit"
            fuzzy = [c for c in given | cores if len(c) >= 4]
            forms = self._cache[person.placeholder] = (given, cores, strict, joined, fuzzy)
        return forms

    def _single_word_match(self, token: WordToken, person: CasePerson) -> float | None:
        low = token.base.lower()
        given, cores, strict, joined, fuzzy = self._forms(person)
        if low in given or low in cores or low == joined:
            return None if (low in strict and not token.capitalised) else self.SCORE
        if self.fuzzy and len(low) >= 5 and low not in self.lexicon.common_words:
            for candidate in fuzzy:
                limit = 2 if len(candidate) >= 8 else 1
                if Levenshtein.distance(low, candidate, score_cutoff=limit) <= limit:
                    return self.FUZZY_SCORE
        return None

    def analyze(self, text: str, entities, nlp_artifacts=None):
        tokens = word_tokens(text)
        hits: list[tuple[int, int, float, CasePerson]] = []
        for i, token in enumerate(tokens):
            for person in self.people:
                score = self._single_word_match(token, person)
                if score is None:
                    continue
                start = token.start
                # include interfixes written before the surname ("de Wit", "van den Broek")
                j = i - 1
                while j >= 0 and tokens[j].text.lower() in INTERFIXES and len(person.surname) > 1 \
                        and tokens[j].text.lower() in {s.lower() for s in person.surname}:
                    start = tokens[j].start
                    j -= 1
                hits.append((start, token.end, score, person))
                break
        # merge adjacent hits of one person ("Sandra" + "de Wit")
        merged: list[tuple[int, int, float, CasePerson]] = []
        for hit in sorted(hits, key=lambda h: h[0]):
            if merged and merged[-1][3] is hit[3] and text[merged[-1][1] : hit[0]].strip() == "":
                prev = merged[-1]
                merged[-1] = (prev[0], hit[1], max(prev[2], hit[2]), hit[3])
            else:
                merged.append(hit)
        return [
            RecognizerResult("PERSOON", s, e, score, analysis_explanation=AnalysisExplanation(self.name, 0.0), recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                CASE_PERSON_KEY: person.placeholder,
            })
            for s, e, score, person in merged
        ]
