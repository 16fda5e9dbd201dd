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
        super().__init__(supported_entities=["PERSOON"], name="CaseNameRecognizer", supported_language=supported_language)

    def load(self) -> None:
        pass

    def _single_word_match(self, token: WordToken, person: CasePerson) -> float | None:
        word = token.base
        low = word.lower()
        strict_words = {w.lower() for w in person.surname_core if self.lexicon.is_common(w)}
        for given in person.first_names:
            if low == given.lower():
                if self.lexicon.is_common(low) and not token.capitalised and low in strict_words:
                    return None
                return self.SCORE
        for core in person.surname_core:
            if low == core.lower():
                if low in strict_words and not token.capitalised:
                    return None
                return self.SCORE
        if len(person.surname) > 1 and low == "".join(person.surname).lower():
            return self.SCORE  # "dewit"
        if self.fuzzy and len(low) >= 5 and low not in self.lexicon.common_words:
            for candidate in (*person.first_names, *person.surname_core):
                if len(candidate) < 4:
                    continue
                limit = 2 if len(candidate) >= 8 else 1
                if Levenshtein.distance(low, candidate.lower(), score_cutoff=limit) <= limit:
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
