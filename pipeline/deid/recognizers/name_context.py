"""Names announced by Dutch context: "mijn dochter Emma", "heet Gerda", "meneer Smeets", "dokter peters".

Takes up to three following words that look like a name (capitalised, an interfix, or a word that
is no ordinary Dutch word), so lower-case ASR output ("mijn zoon daan") is caught too.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from pipeline.deid.lexicon import Lexicon
from pipeline.deid.name_context_words import KINSHIP
from pipeline.deid.words import word_tokens

_TRIGGER = re.compile(
    r"(?i)\b(?:(?:mijn|m'n|onze|ons|zijn|z'n|haar|d'r|jouw|je)\s(?:" + KINSHIP + r")(?:\s(?:heet|heette))?|"
    r"heet|heette|noemen\s(?:hem|haar)|meneer|mevrouw|dokter|juf|meester|zuster|"
    r"de\s(?:bewindvoerder|wijkagent|praktijkondersteuner|psycholoog|psychiater|therapeut))[,:]?\s"
)


class ContextNameRecognizer(EntityRecognizer):
    SCORE = 0.8

    def __init__(self, lexicon: Lexicon, supported_language: str = "nl") -> None:
        self.lexicon = lexicon
        super().__init__(supported_entities=["PERSOON"], name="ContextNameRecognizer", supported_language=supported_language)

    def load(self) -> None:
        pass

    def _looks_like_name(self, word: str, capitalised: bool) -> bool:
        low = word.lower()
        if capitalised:
            return not self.lexicon.is_common(low) or low in self.lexicon.first_names or low in self.lexicon.surnames
        return not self.lexicon.is_common(low) and len(low) > 1

    def analyze(self, text: str, entities, nlp_artifacts=None):
        tokens = word_tokens(text)
        results = []
        for m in _TRIGGER.finditer(text):
            following = [t for t in tokens if t.start >= m.end()][:4]
            span: list = []
            for t in following:
                prev_end = span[-1].end if span else m.end()
                if span and text[prev_end : t.start] not in (" ",):
                    break
                if not span and text[prev_end : t.start] not in ("",):
                    break
                low = t.text.lower()
                if low in self.lexicon.interfixes and t.text[:1].isupper() or (span and low in self.lexicon.interfixes):
                    span.append(t)
                    continue
                if self._looks_like_name(t.base, t.capitalised):
                    span.append(t)
                    if not t.capitalised:
                        break
                    continue
                break
            while span and span[-1].text.lower() in self.lexicon.interfixes:
                span.pop()
            if span:
                results.append(RecognizerResult("PERSOON", span[0].start, span[-1].end, self.SCORE, analysis_explanation=AnalysisExplanation(self.name, 0.0), recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        return results
