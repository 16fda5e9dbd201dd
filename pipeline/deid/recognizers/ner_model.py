"""A statistical NER model (transformers token classification) as a Presidio recognizer.

Off by default: no Dutch NER model ships with the product. A region that has one (for instance
a BERTje fine-tune for Dutch NER, downloaded once on a connected machine and copied over) sets
``VG_DEID_NER_MODEL`` to its local directory. It is loaded once, from that directory only
(``local_files_only``: nothing is fetched), when the engine is built.

Labels are mapped by their core (``B-PER``/``I-PER``/``PER``/``PERSON`` -> ``PERSOON``; ``LOC``,
``GPE`` -> ``LOCATIE``; ``ORG`` -> ``INSTELLING``); other labels (``MISC``) are ignored.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from core.errors import DeidentificationError

logger = logging.getLogger(__name__)

LABEL_MAP = {"PER": "PERSOON", "PERSON": "PERSOON", "LOC": "LOCATIE", "GPE": "LOCATIE", "LOCATION": "LOCATIE",
             "ORG": "INSTELLING", "ORGANIZATION": "INSTELLING"}


def map_label(label: str) -> str | None:
    core = label.split("-", 1)[1] if label[:2] in ("B-", "I-", "E-", "S-") else label
    return LABEL_MAP.get(core.upper())


def load_ner_pipeline(model_dir: Path) -> Any:
    """The transformers pipeline for a local model directory (config, weights, tokenizer)."""
    if not (model_dir / "config.json").is_file():
        raise DeidentificationError(
            f"NER-model niet gevonden of onvolledig: {model_dir.name} (geen config.json).",
            hint="Zet VG_DEID_NER_MODEL op een lokale map met een transformers token-classificatiemodel, of laat het leeg.",
        )
    try:
        from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline
    except ImportError:
        raise DeidentificationError("transformers is niet geïnstalleerd.", hint="Voer 'make setup' uit.") from None
    try:
        tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
        model = AutoModelForTokenClassification.from_pretrained(model_dir, local_files_only=True)
    except (OSError, ValueError) as exc:
        raise DeidentificationError(
            f"NER-model in {model_dir.name} kan niet worden geladen ({type(exc).__name__}).",
            hint="Controleer dat de map een compleet token-classificatiemodel met tokenizer bevat.",
        ) from None
    model.eval()
    return pipeline("token-classification", model=model, tokenizer=tokenizer, aggregation_strategy="simple", device=-1)


class TransformersNerRecognizer(EntityRecognizer):
    """Spans from a token-classification model; the model's score is the Presidio score."""

    def __init__(self, ner_pipeline: Any, supported_language: str = "nl") -> None:
        self.ner = ner_pipeline
        super().__init__(supported_entities=["PERSOON", "LOCATIE", "INSTELLING"], name="TransformersNerRecognizer",
                         supported_language=supported_language)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities, nlp_artifacts=None):
        if not text.strip():
            return []
        results = []
        for item in self.ner(text):
            entity = map_label(str(item.get("entity_group") or item.get("entity") or ""))
            if entity is None or (entities and entity not in entities):
                continue
            start, end = int(item["start"]), int(item["end"])
            if end <= start:
                continue
            results.append(RecognizerResult(entity, start, end, float(item["score"]), analysis_explanation=AnalysisExplanation(self.name, 0.0), recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        return results
