"""The project's statistical Dutch NER (spaCy, PER/LOC/ORG) as a Presidio recognizer.

The model (``nl-ner-enp``) is trained by ``scripts/train_ner.py`` on the Europeana Newspapers
Dutch corpus (CC0) with spoken-style augmentation, and installed by ``vg models pull`` into the
models directory. It is loaded once, from that local directory only, when the engine is built.

A transition-based spaCy NER gives no per-entity probability. The score of a span is the model's
precision for that label on the held-out development part (``meta.json``: ``performance``), so a
label the model gets right more often weighs more in :mod:`pipeline.deid.decide`; spans the model
finds in lower-case text (no capital anywhere) get :data:`LOWER_CASE_PENALTY` less, because the
spoken-style training variants are harder and its precision there is lower.
"""

from __future__ import annotations

import logging
from pathlib import Path
from collections.abc import Callable, Iterable
from typing import Any

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from core.errors import DeidentificationError
from pipeline.deid.words import word_tokens

logger = logging.getLogger(__name__)

LABELS = {"PER": "PERSOON", "LOC": "LOCATIE", "ORG": "INSTELLING"}
DEFAULT_PRECISION = 0.7
LOWER_CASE_PENALTY = 0.15
MAX_CHARS = 100_000
"""Longer texts are analysed in pieces cut at line ends (spaCy's default limit is 1,000,000)."""


def load_spacy_ner(model_dir: Path) -> Any:
    """The spaCy pipeline in ``model_dir`` (a directory with ``meta.json`` and ``config.cfg``)."""
    if not (model_dir / "meta.json").is_file() or not (model_dir / "config.cfg").is_file():
        raise DeidentificationError(
            f"Het NER-model ontbreekt of is onvolledig: {model_dir}.",
            hint="Voer 'vg models pull nl-ner-enp' uit (of 'make setup'), of haal 'ner' uit de recognizers in de "
            "de-identificatieconfiguratie (VG_DEID_CONFIG) als u bewust zonder NER wilt werken.",
        )
    import spacy

    try:
        return spacy.load(model_dir, exclude=["parser", "tagger", "lemmatizer"])
    except (OSError, ValueError) as exc:
        raise DeidentificationError(
            f"Het NER-model in {model_dir.name} kan niet worden geladen ({type(exc).__name__}).",
            hint="Installeer het opnieuw met 'vg models pull nl-ner-enp --force'.",
        ) from None


def only_ordinary_sentence_starts(text: str, is_word: Callable[[str], bool]) -> bool:
    """Cased text whose only capitals are ordinary Dutch words starting a sentence ("Ja. Dat klopt,
    ik ga morgen."). The model's proposals there are never used: a lower-case span in cased text and
    a one-word span that is an ordinary word are dropped by the decision rule (rule 5 in
    :mod:`pipeline.deid.decide`), and what the other recognizers find there needs no NER to be
    redacted. Most turns of a conversation are like this; the model then skips them."""
    if not any(c.isupper() for c in text):
        return False  # lower-case (spoken-style) text: the model's lower-case spans count
    return all(tok.sentence_initial and not any(c.isupper() for c in tok.text[1:]) and is_word(tok.base)
               for tok in word_tokens(text) if any(c.isupper() for c in tok.text))


def label_scores(nlp: Any) -> dict[str, float]:
    """Per entity type, the development precision recorded in the model's meta.json."""
    per_type = (nlp.meta.get("performance") or {}).get("ents_per_type") or {}
    scores = {}
    for label, entity in LABELS.items():
        p = (per_type.get(label) or {}).get("p")
        scores[entity] = round(min(0.95, max(0.5, float(p))), 3) if p is not None else DEFAULT_PRECISION
    return scores


PARTICLES = {"van", "de", "der", "den", "ter", "ten", "te", "het", "'t", "la", "le", "du", "da", "di", "von", "vd", "v."}


def refine(ent_tokens: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Split an entity (tokens as ``(start, end, text)``) where the model ran on into ordinary
    words: in cased text a lower-case token that is not a name particle ("van", "de") ends a
    piece ("Anouk Bakker van de schuldhulp" -> "Anouk Bakker";
    "Emma op de Kerkstraat" -> "Emma", "Kerkstraat"). Particles at a piece's edges are dropped.
    All-lower-case entities (spoken-style text) are kept whole."""
    cased = any(t[0].isupper() for _, _, t in ent_tokens)
    pieces: list[list[tuple[int, int, str]]] = [[]]
    for tok in ent_tokens:
        text = tok[2]
        breaks = cased and text.islower() and text not in PARTICLES
        if breaks or not any(c.isalnum() for c in text):
            pieces.append([])
        else:
            pieces[-1].append(tok)
    out = []
    for piece in pieces:
        while piece and piece[0][2].lower() in PARTICLES:
            piece = piece[1:]
        while piece and piece[-1][2].lower() in PARTICLES:
            piece = piece[:-1]
        if piece:
            out.append((piece[0][0], piece[-1][1]))
    return out


class SpacyNerRecognizer(EntityRecognizer):
    """Persons, locations and organisations found by the bundled spaCy NER model."""

    def __init__(self, nlp: Any, supported_language: str = "nl", is_common: Callable[[str], bool] | None = None,
                 is_word: Callable[[str], bool] | None = None) -> None:
        self.nlp = nlp
        self.is_common = is_common
        self.is_word = is_word
        """With it, text whose only capitals are ordinary words starting a sentence is skipped."""
        self.scores = label_scores(nlp)
        self.model_name = str(nlp.meta.get("name", "ner"))
        self._prepared: dict[str, Any] = {}
        super().__init__(supported_entities=list(LABELS.values()), name="SpacyNerRecognizer",
                         supported_language=supported_language)

    def load(self) -> None:
        pass

    def prepare(self, texts: Iterable[str], batch_size: int = 64) -> None:
        """Run the model over all texts of a transcript at once (``nlp.pipe`` batches the matrix
        work: 1.5x faster than one call per turn); :meth:`analyze` then takes each turn's doc, and
        computes it itself for a text that was not prepared, so results never depend on this."""
        pieces = list(dict.fromkeys(piece for text in texts if text.strip() for _, piece in self._pieces(text)
                                    if not self._skipped(piece)))
        self._prepared = dict(zip(pieces, self.nlp.pipe(pieces, batch_size=batch_size)))

    def _skipped(self, piece: str) -> bool:
        return self.is_word is not None and only_ordinary_sentence_starts(piece, self.is_word)

    def _doc(self, piece: str) -> Any:
        doc = self._prepared.pop(piece, None)
        return doc if doc is not None else self.nlp(piece)

    def _pieces(self, text: str):
        start = 0
        while start < len(text):
            end = len(text) if len(text) - start <= MAX_CHARS else text.rfind("\n", start, start + MAX_CHARS) + 1
            if end <= start:
                end = start + MAX_CHARS
            yield start, text[start:end]
            start = end

    def analyze(self, text: str, entities, nlp_artifacts=None):
        if not text.strip():
            return []
        results = []
        for offset, piece in self._pieces(text):
            if self._skipped(piece):
                continue
            for ent in self._doc(piece).ents:
                entity = LABELS.get(ent.label_)
                if entity is None or (entities and entity not in entities):
                    continue
                score = self.scores[entity]
                if not any(c.isupper() for c in ent.text):
                    score = round(score - LOWER_CASE_PENALTY, 3)
                tokens = [(t.idx, t.idx + len(t.text), t.text) for t in ent]
                for start, end in refine(tokens):
                    results.append(RecognizerResult(
                        entity, offset + start, offset + end, score,
                        analysis_explanation=AnalysisExplanation(self.name, score, textual_explanation=f"{self.model_name}:{ent.label_}"),
                        recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                              RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        return results
