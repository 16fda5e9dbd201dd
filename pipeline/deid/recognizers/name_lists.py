"""Person names by Dutch first-name and surname lists (Deduce's lookup lists).

Scores depend on capitalisation and on whether the word is also an ordinary Dutch word
("Bakker"/"bakker", "Roos"/"roos"): a capitalised list name inside a sentence is likely a name;
a lower-case one (ASR) only when it is no ordinary word. A following surname (with interfixes)
is taken into the span: "Peter van den Broek".
"""

from __future__ import annotations

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from pipeline.deid.lexicon import Lexicon
from pipeline.deid.words import word_tokens


class NameListRecognizer(EntityRecognizer):
    CONTEXT = ["heet", "heette", "meneer", "mevrouw", "dochter", "zoon", "moeder", "vader", "broer", "zus",
               "vriend", "vriendin", "ex", "partner", "man", "vrouw", "dokter", "buurvrouw", "buurman", "collega"]

    def __init__(self, lexicon: Lexicon, supported_language: str = "nl", context: list[str] | None = None) -> None:
        self.lexicon = lexicon
        super().__init__(supported_entities=["PERSOON"], name="NameListRecognizer",
                         supported_language=supported_language, context=context if context is not None else self.CONTEXT)

    def load(self) -> None:
        pass

    def score_word(self, text: str, capitalised: bool, sentence_initial: bool) -> float:
        lex = self.lexicon
        low = text.lower()
        is_first, is_sur = low in lex.first_names, low in lex.surnames
        if not (is_first or is_sur):
            return 0.0
        common = lex.is_common(low)
        if capitalised and not sentence_initial:
            return 0.3 if common and not is_first else (0.45 if common else 0.7)
        if capitalised:  # sentence start: every word is capitalised
            return 0.3 if common else 0.6
        return 0.0 if common else (0.45 if is_first else 0.3)

    def analyze(self, text: str, entities, nlp_artifacts=None):
        tokens = word_tokens(text)
        results = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            score = self.score_word(tok.base, tok.capitalised, tok.sentence_initial)
            if score <= 0:
                i += 1
                continue
            end, j = tok.end, i + 1
            # absorb "van den Broek", "Hendriks", "El Amrani" after a first name
            k = j
            while k < len(tokens) and tokens[k].text.lower() in self.lexicon.interfixes and text[tokens[k - 1].end : tokens[k].start] == " ":
                k += 1
            if k < len(tokens) and tokens[k].capitalised and text[tokens[k - 1].end : tokens[k].start] == " " \
                    and (not self.lexicon.is_common(tokens[k].text.lower()) or tokens[k].text.lower() in self.lexicon.surnames):
                end, j = tokens[k].end, k + 1
                score = max(score, 0.75) if tok.capitalised else score
            results.append(RecognizerResult("PERSOON", tok.start, end, score, analysis_explanation=AnalysisExplanation(self.name, 0.0), recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
            i = j
        return results
