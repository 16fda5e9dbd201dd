"""Dutch place names from Deduce's lookup lists (residences, municipalities, provinces), also in
lower case as ASR writes them ("den bosch", "oss", "'t zandt").

Deduce itself matches these lists only as written. Here a place name counts when:
- it is capitalised inside a sentence and is no ordinary Dutch word ("Vught", "Nijmegen"), or
- it follows a place preposition ("in", "uit", "naar", "te", "vanuit") - required for lower case and
  for names that are also ordinary words ("woont in Goes", "in Best", but "ze doet haar best" and
  "hoe goes het" stay), or
- it has several words and is written in lower case ("den bosch", "bergen op zoom").
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

import regex as re
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from pipeline.deid.lexicon import Lexicon

#: Spoken forms that are in no list.
ALIASES = {"den bosch", "'s hertogenbosch", "s-hertogenbosch", "den haag", "'s gravenhage"}
_TOKEN = re.compile(r"(?:['’][st][- ])?[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
_PREPOSITION = re.compile(r"(?i)\b(?:in|uit|naar|te|vanuit|richting|buurt\svan|omgeving|gemeente|woonplaats)\s$")
_MAX_WORDS = 4


def _norm(name: str) -> str:
    return name.replace("’", "'").lower()


def load_place_names() -> set[str]:
    spec = find_spec("deduce")
    names: set[str] = set(ALIASES)
    if spec is None or spec.origin is None:
        return names
    base = Path(spec.origin).parent / "data" / "lookup" / "src" / "locations" / "lst_placename"
    for sub in ("lst_residence", "lst_municipality", "lst_province"):
        items = base / sub / "items.txt"
        if not items.is_file():
            continue
        excluded = set()
        exceptions = base / sub / "exceptions.txt"
        if exceptions.is_file():
            excluded = {line.strip() for line in exceptions.read_text(encoding="utf-8").splitlines()}
        for line in items.read_text(encoding="utf-8").splitlines():
            name = line.strip()
            if not name or name in excluded:
                continue
            low = _norm(name)
            names.add(low)
            if low.startswith("het "):
                names.add("'t " + low[4:])
            if low.startswith("'s-"):
                names.add("'s " + low[3:])
    return names


class NlPlaceRecognizer(EntityRecognizer):
    SCORE = 0.6

    def __init__(self, lexicon: Lexicon, places: set[str] | None = None, supported_language: str = "nl") -> None:
        self.lexicon = lexicon
        self.places = places if places is not None else load_place_names()
        # the first word of every place name: a text word that starts none is skipped at once
        self.first_words = {m.group() for m in (_TOKEN.match(p) for p in self.places) if m}
        super().__init__(supported_entities=["LOCATIE"], name="NlPlaceRecognizer", supported_language=supported_language)

    def load(self) -> None:
        pass

    def _accept(self, text: str, start: int, surface: str, n_words: int) -> bool:
        before = text[:start]
        after_preposition = bool(_PREPOSITION.search(before[-30:]))
        words = surface.replace("-", " ").split()
        ordinary = all(self.lexicon.is_common(w.strip("'’").lower()) or w.lower() in self.lexicon.interfixes for w in words)
        sentence_initial = not before.strip() or before.rstrip()[-1] in ".!?:"
        capitalised = any(w.lstrip("'’")[:1].isupper() for w in words if w.lower() not in self.lexicon.interfixes) \
            or (surface[:3].lower() in ("'s-", "'s ", "'t ") and surface[3:4].isupper())
        if not capitalised and surface.lower().startswith(("de ", "het ")):
            return False  # "in de wijk", "het veld": lower-case "De Wijk"/"Het Veld" are rarely meant
        if after_preposition:
            return capitalised or not ordinary or surface[:3].lower() in ("'s-", "'s ", "'t ")  # "in de wijk", "in best wel veel" stay
        if capitalised and not sentence_initial:
            return not ordinary
        return n_words > 1 and not ordinary and not capitalised

    def analyze(self, text: str, entities, nlp_artifacts=None):
        tokens = list(_TOKEN.finditer(text))
        results = []
        i = 0
        while i < len(tokens):
            if _norm(tokens[i].group()) not in self.first_words:
                i += 1
                continue
            hit = None
            for n in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
                group = tokens[i : i + n]
                if any(text[a.end() : b.start()] != " " for a, b in zip(group, group[1:])):
                    continue
                surface = text[group[0].start() : group[-1].end()]
                if _norm(surface) in self.places and self._accept(text, group[0].start(), surface, n):
                    hit = (group[0].start(), group[-1].end(), n)
                    break
            if hit is None:
                i += 1
                continue
            results.append(RecognizerResult("LOCATIE", hit[0], hit[1], self.SCORE, analysis_explanation=AnalysisExplanation(self.name, 0.0), recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
            i += hit[2]
        return results
