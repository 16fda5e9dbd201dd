"""Names from CASE.json: always caught, with their role placeholder.

Matches first names alone, surnames with or without interfix ("de Wit", "dewit"), possessives
("Sandra's", "Kees'"), lower case, and ASR misspellings one or two letters off ("peters" for
"Peeters", "ahmet" for "Ahmed"). Built per call (ad hoc), since every case has other names.

Two CASE people may share a surname (the inwoner and her mother). Adjacent name words form one
phrase, and the phrase belongs to the people every word of it fits: "Marja de Groot" only to the
mother, "Sanne" only to the inwoner. A phrase that still fits several people ("mevrouw De Groot")
is resolved by a title when the case says enough ("dokter" -> the huisarts or a professional,
"meneer"/"mevrouw" -> excludes a naaste whose relation has the other gender); otherwise it is
reported as an ambiguous CASE name: a plain ``PERSOON`` without role, which the placeholder book
turns into one consistent ``[PERSOON-n]`` for that surname. Never a placeholder built from the
surname itself, and never a guess between two roles.

Words inside an e-mail address or URL are left to those recognizers ("sanne.degroot@...").
"""

from __future__ import annotations

from collections.abc import Sequence

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from rapidfuzz.distance import Levenshtein

from pipeline.deid.case_people import INTERFIXES, CaseOrganisation, CasePerson
from pipeline.deid.lexicon import Lexicon
from pipeline.deid.words import WordToken, word_tokens

CASE_PERSON_KEY = "case_placeholder"
CASE_AMBIGUOUS_KEY = "case_ambiguous"

_TITLE_GENDER = {"mevrouw": "v", "mevr": "v", "mw": "v", "juf": "v", "zuster": "v",
                 "meneer": "m", "mijnheer": "m", "dhr": "m", "meester": "m"}
_PROFESSIONAL_TITLES = {"dokter", "dr", "huisarts", "docter"}


def in_address_or_url(text: str, token: WordToken) -> bool:
    """Whether the token is part of a written e-mail address or URL."""
    start = text.rfind(" ", 0, token.start) + 1
    end = text.find(" ", token.end)
    chunk = text[start : end if end >= 0 else len(text)].lower()
    return "@" in chunk or "://" in chunk or chunk.startswith("www.")


class CaseNameRecognizer(EntityRecognizer):
    SCORE = 1.0
    FUZZY_SCORE = 0.85

    def __init__(self, people: list[CasePerson], lexicon: Lexicon, fuzzy: bool = True, supported_language: str = "nl") -> None:
        self.people = people
        self.lexicon = lexicon
        self.fuzzy = fuzzy
        self._cache: dict[str, tuple] = {}
        self._matched: dict[str, tuple[frozenset[int], float]] = {}
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

    def _exact(self, token: WordToken, person: CasePerson) -> bool:
        low = token.base.lower()
        given, cores, strict, joined, _ = self._forms(person)
        if low in given or low in cores or low == joined:
            return not (low in strict and not token.capitalised)
        return False

    def _fuzzy(self, token: WordToken, person: CasePerson) -> bool:
        low = token.base.lower()
        if len(low) < 5 or low in self.lexicon.common_words:
            return False
        for candidate in self._forms(person)[4]:
            limit = 2 if len(candidate) >= 8 else 1
            if Levenshtein.distance(low, candidate, score_cutoff=limit) <= limit:
                return True
        return False

    def _matches(self, token: WordToken) -> tuple[frozenset[int], float]:
        """The people a word can name, and the score; depends only on the word's text (cached:
        a conversation repeats its words, and fuzzy matching is the costly part)."""
        found = self._matched.get(token.text)
        if found is None:
            found = self._matched[token.text] = self._match_word(token)
        return found

    def _match_word(self, token: WordToken) -> tuple[frozenset[int], float]:
        exact = frozenset(i for i, p in enumerate(self.people) if self._exact(token, p))
        if exact:
            return exact, self.SCORE
        if self.fuzzy:
            fuzzy = frozenset(i for i, p in enumerate(self.people) if self._fuzzy(token, p))
            if fuzzy:
                return fuzzy, self.FUZZY_SCORE
        return frozenset(), 0.0

    def _by_title(self, title: str, candidates: set[int]) -> set[int]:
        if title in _PROFESSIONAL_TITLES:
            return {i for i in candidates if self.people[i].kind in ("huisarts", "professional")} or candidates
        gender = _TITLE_GENDER.get(title)
        if gender:
            return {i for i in candidates if self.people[i].gender in (None, gender)} or candidates
        return candidates

    def _phrases(self, text: str, tokens: Sequence[WordToken]) -> list[list[tuple[int, frozenset[int], float]]]:
        """Runs of adjacent matching words (and interfixes between/before them)."""
        phrases: list[list[tuple[int, frozenset[int], float]]] = []
        current: list[tuple[int, frozenset[int], float]] = []
        for i, token in enumerate(tokens):
            if in_address_or_url(text, token):
                matched, score = frozenset(), 0.0
            else:
                matched, score = self._matches(token)
            between = text[tokens[current[-1][0]].end : token.start] if current else ""
            adjacent = bool(current) and between.startswith(" ") and between.endswith(" ") \
                and all(w.lower() in INTERFIXES for w in between.split())
            if not matched and adjacent:  # "marja de groot": an ordinary word as surname right after the name
                low = token.base.lower()
                matched = frozenset(i for i in current[-1][1] if low in self._forms(self.people[i])[1])
                score = self.SCORE if matched else 0.0
            if matched:
                if not adjacent and current:
                    phrases.append(current)
                    current = []
                current.append((i, matched, score))
            elif current and token.text.lower() not in INTERFIXES:
                phrases.append(current)
                current = []
        if current:
            phrases.append(current)
        return phrases

    def _emit(self, text, tokens, words, people: set[int], score: float, results: list) -> None:
        first = words[0]
        start = tokens[first].start
        j = first - 1
        surname_words = {s.lower() for i in people for s in self.people[i].surname}
        # interfixes written before the surname ("de Groot", "van den Broek")
        while j >= 0 and tokens[j].text.lower() in INTERFIXES and tokens[j].text.lower() in surname_words \
                and text[tokens[j].end : tokens[j + 1].start] == " ":
            start = tokens[j].start
            j -= 1
        if len(people) > 1 and j >= 0:
            people = self._by_title(tokens[j].text.lower().rstrip("."), people)
        meta = {RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}
        if len(people) == 1:
            meta[CASE_PERSON_KEY] = self.people[next(iter(people))].placeholder
        else:
            meta[CASE_AMBIGUOUS_KEY] = True
        results.append(RecognizerResult("PERSOON", start, tokens[words[-1]].end, score,
                                        analysis_explanation=AnalysisExplanation(self.name, 0.0), recognition_metadata=meta))

    def analyze(self, text: str, entities, nlp_artifacts=None):
        tokens = word_tokens(text)
        results: list[RecognizerResult] = []
        for phrase in self._phrases(text, tokens):
            shared = frozenset.intersection(*(m for _, m, _ in phrase))
            if shared:  # every word fits the same person(s): one span
                self._emit(text, tokens, [i for i, _, _ in phrase], set(shared), max(s for _, _, s in phrase), results)
            else:  # "Sanne Marja": words of different people, each on its own
                for i, matched, score in phrase:
                    self._emit(text, tokens, [i], set(matched), score, results)
        return results


class CaseOrganisationRecognizer(EntityRecognizer):
    """The huisarts practice and professionals' organisations from CASE.json (those not on the
    allow-list), as ``INSTELLING`` with their fixed placeholder. Matches the full name in any
    case, and the distinctive part ("De Linde") when written with a capital."""

    SCORE = 1.0

    def __init__(self, organisations: list[CaseOrganisation], supported_language: str = "nl") -> None:
        import regex as re

        self.organisations = organisations
        self._patterns = []
        for org in organisations:
            full = re.escape(org.full_name).replace(r"\ ", r"\s+")
            core = re.escape(org.core).replace(r"\ ", r"\s+")
            self._patterns.append((re.compile(r"(?i)(?<![\w@.])" + full + r"(?![\w@])"), org))
            if org.core != org.full_name:
                # "De Linde" capitalised as written; ASR lower case only after an institution word
                self._patterns.append((re.compile(r"(?<![\w@.])(?-i:" + core + r")(?![\w@])"), org))
                self._patterns.append((re.compile(r"(?i)(?<=praktijk\s|school\s|stichting\s)" + core + r"(?![\w@])"), org))
        super().__init__(supported_entities=["INSTELLING"], name="CaseOrganisationRecognizer", supported_language=supported_language)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities, nlp_artifacts=None):
        results = []
        for pattern, org in self._patterns:
            for m in pattern.finditer(text):
                results.append(RecognizerResult("INSTELLING", m.start(), m.end(), self.SCORE,
                                                analysis_explanation=AnalysisExplanation(self.name, 0.0), recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    CASE_PERSON_KEY: org.placeholder}))
        return results
