"""E-mail addresses and URLs, written or spoken ("sandra punt de wit at gmail punt com").

Own patterns instead of Presidio's e-mail/URL recognizers: those call tldextract, which may try
to download the public-suffix list at run time.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult

_TLD = r"(?:nl|com|org|net|eu|be|de|info|online|nu|io|co\.uk)"


class EmailRecognizer(PatternRecognizer):
    PATTERNS = [Pattern("email", r"(?i)\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", 0.9)]
    CONTEXT = ["mail", "e-mail", "mailadres", "emailadres", "e-mailadres"]

    def __init__(self, supported_language: str = "nl", context: list[str] | None = None) -> None:
        super().__init__(
            supported_entity="EMAIL", name="EmailRecognizer", patterns=self.PATTERNS,
            context=context if context is not None else self.CONTEXT, supported_language=supported_language,
            global_regex_flags=re.DOTALL | re.MULTILINE,
        )


class SpokenEmailRecognizer(EntityRecognizer):
    """"naam punt naam at gmail punt com" as ASR writes a dictated address."""

    _SEGMENT = r"[^\W\d_][\w-]*(?:\s[^\W\d_][\w-]*){0,2}"
    _PATTERN = re.compile(
        r"(?i)\b(?P<local>" + _SEGMENT + r"(?:\s(?:punt|streepje|underscore|min)\s" + _SEGMENT + r")*)"
        r"\s(?:at|apenstaartje|et)\s[\w-]+(?:\s(?:punt|dot)\s\w+)+"
    )
    _LEADING = {"naar", "is", "mail", "mailen", "adres", "mailadres", "op", "via", "mijn", "het", "e-mail", "email"}

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_entities=["EMAIL"], name="SpokenEmailRecognizer", supported_language=supported_language)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        results = []
        for m in self._PATTERN.finditer(text):
            start = m.start()
            # drop function words the lazy local-part pattern picked up ("mail naar ...")
            while True:
                word = re.match(r"\S+\s", text[start : m.end()])
                if word and word.group(0).strip().lower() in self._LEADING:
                    start += len(word.group(0))
                else:
                    break
            results.append(RecognizerResult("EMAIL", start, m.end(), 0.8, analysis_explanation=AnalysisExplanation(self.name, 0.0), recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        return results


class UrlRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("url with scheme", r"(?i)\bhttps?://[^\s]+[^\s.,;:!?)]", 0.8),
        Pattern("www", r"(?i)\bwww\.[\w-]+(?:\.[\w-]+)+(?:/[^\s]*[^\s.,;:!?)])?", 0.8),
        Pattern("domain", r"(?i)\b[\w-]{3,}\.(?:nl|com|org|net|eu|be|nu|info)(?:/[^\s]*[^\s.,;:!?)])?\b", 0.5),
    ]
    CONTEXT = ["website", "site", "blog", "facebook", "instagram", "link"]

    def __init__(self, supported_language: str = "nl", context: list[str] | None = None) -> None:
        super().__init__(
            supported_entity="URL", name="UrlRecognizer", patterns=self.PATTERNS,
            context=context if context is not None else self.CONTEXT, supported_language=supported_language,
            global_regex_flags=re.DOTALL | re.MULTILINE,
        )
