"""Deduce (Menger et al.) wrapped as a Presidio recognizer: persons, locations, institutions,
dates, ages and identifiers from Deduce's Dutch lookup lists and patterns.

The loaded :class:`deduce.Deduce` instance is shared; the case's inwoner is passed as Deduce's
patient metadata per call (see :meth:`with_patient`).
"""

from __future__ import annotations

from typing import Any

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

# Deduce tag (or its first part before '+') -> our entity type and a score.
TAG_MAP: dict[str, tuple[str, float]] = {
    "persoon": ("PERSOON", 0.8), "patient": ("PERSOON", 0.9), "naam": ("PERSOON", 0.8),
    "voornaam": ("PERSOON", 0.8), "achternaam": ("PERSOON", 0.7), "initiaal": ("PERSOON", 0.6),
    "prefix": ("PERSOON", 0.8), "interfix": ("PERSOON", 0.7),
    "locatie": ("LOCATIE", 0.65), "straat": ("ADRES", 0.6), "woonplaats": ("LOCATIE", 0.65),
    "ziekenhuis": ("INSTELLING", 0.7), "zorginstelling": ("INSTELLING", 0.7), "instelling": ("INSTELLING", 0.7),
    "datum": ("DATUM", 0.85), "leeftijd": ("LEEFTIJD", 0.6), "bsn": ("BSN", 0.85),
    "telefoonnummer": ("TELEFOON", 0.85), "emailadres": ("EMAIL", 0.85), "email": ("EMAIL", 0.85),
    "url": ("URL", 0.85), "id": ("ID", 0.7), "patientnummer": ("ID", 0.7),
}


def map_tag(tag: str) -> tuple[str, float]:
    if tag in TAG_MAP:
        return TAG_MAP[tag]
    for part in tag.split("+"):
        if part in TAG_MAP:
            return TAG_MAP[part]
    return ("PERSOON", 0.6) if "naam" in tag else ("ID", 0.5)


class DeduceRecognizer(EntityRecognizer):
    ENTITIES = sorted({v[0] for v in TAG_MAP.values()})

    def __init__(self, deduce: Any, patient: Any = None, supported_language: str = "nl") -> None:
        self.deduce = deduce
        self.patient = patient
        super().__init__(supported_entities=self.ENTITIES, name="DeduceRecognizer", supported_language=supported_language)

    def load(self) -> None:
        pass

    def with_patient(self, patient: Any) -> DeduceRecognizer:
        return DeduceRecognizer(self.deduce, patient, self.supported_language)

    def analyze(self, text: str, entities, nlp_artifacts=None):
        metadata = {"patient": self.patient} if self.patient is not None else None
        doc = self.deduce.deidentify(text, metadata=metadata)
        results = []
        for ann in doc.annotations:
            entity, score = map_tag(ann.tag)
            results.append(RecognizerResult(entity, ann.start_char, ann.end_char, score, analysis_explanation=AnalysisExplanation(self.name, 0.0), recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                "deduce_tag": ann.tag}))
        return results
