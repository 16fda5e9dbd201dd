"""Grounding check: does each verslag item rest on the segments it cites?

For every item that is not ``handmatig``:

1. its ``bronnen`` must be non-empty and exist in the transcript;
2. names, numbers, dates and placeholders in the item must occur in the cited segments
   (a hard requirement: these are what a small model invents);
3. the item must overlap with the cited segments: the share of its content words (Dutch stems,
   stop words removed) found there must reach ``min_lexical_overlap``, or, when an
   :class:`~models.embeddings.EmbeddingBackend` is given, the best cosine similarity with a cited
   segment must reach ``min_embedding_similarity``.

Failing items are kept and marked ``niet_onderbouwd``; the reasons go into ``Verslag.grounding``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from models.embeddings import EmbeddingBackend
from pipeline.transcript import PseudonymisedTranscript
from pipeline.verslag.schema import GroundingResult, Item, ItemCheck, Verslag

_PLACEHOLDER = re.compile(r"\[[A-ZÀ-Ý_]+(?:-\d+)?\]")
_WORD = re.compile(r"\[[A-ZÀ-Ý_]+(?:-\d+)?\]|\d+(?:[.,:/-]\d+)*|[^\W\d_]+(?:['-][^\W\d_]+)*")
_NUMBER_WORDS = {
    "twee": "2", "drie": "3", "vier": "4", "vijf": "5", "zes": "6", "zeven": "7", "acht": "8",
    "negen": "9", "tien": "10", "elf": "11", "twaalf": "12", "dertien": "13", "veertien": "14",
    "vijftien": "15", "twintig": "20", "dertig": "30",
}
_MONTHS_DAYS = {
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag",
    "zaterdag", "zondag",
}
# Capitalised words that are common in a verslag and are not names of people or places.
_COMMON_CAPITALISED = {
    "inwoner", "ggz", "huisarts", "positieve", "gezondheid", "wmo", "poh", "poh-ggz", "vg",
    "verkennend", "gesprek", "ik", "de", "het", "een", "er", "hij", "zij", "ze", "we", "wij",
}


class GroundingOptions(BaseModel):
    """Thresholds of the grounding check (documented defaults)."""

    model_config = ConfigDict(extra="forbid")

    min_lexical_overlap: float = 0.34
    """Share of the item's content words that must occur in its cited segments."""
    min_embedding_similarity: float = 0.55
    """Cosine similarity that also counts as support when an embedding backend is given."""
    check_critical_tokens: bool = True
    """Names, numbers, dates and placeholders in the item must occur in the cited segments."""
    free_placeholders: list[str] = ["[INWONER]"]
    """Placeholders an item may use without citing them: the verslag is about the inwoner throughout."""


@lru_cache(maxsize=1)
def _stemmer():  # noqa: ANN202 - PyStemmer has no type hints
    import Stemmer

    return Stemmer.Stemmer("dutch")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_DUTCH

    return frozenset(STOPWORDS_DUTCH)


def _normalise(word: str) -> str:
    lower = word.lower()
    return _NUMBER_WORDS.get(lower, lower)


def content_stems(text: str) -> set[str]:
    """Stems of the content words (placeholders and numbers kept whole)."""
    words = [_normalise(w) for w in _WORD.findall(text)]
    stop = _stopwords()
    plain = [w for w in words if w not in stop and len(w) > 1 and not w.startswith("[")]
    stems = set(_stemmer().stemWords(plain))
    stems.update(w for w in words if w.startswith("["))
    return stems


def critical_tokens(text: str) -> set[str]:
    """Placeholders, numbers, month/day names and capitalised words that are not sentence starts."""
    found: set[str] = set(_PLACEHOLDER.findall(text))
    for sentence in re.split(r"(?<=[.!?:;])\s+|\n", text):
        words = _WORD.findall(sentence)
        for i, word in enumerate(words):
            if word.startswith("["):
                continue
            norm = _normalise(word)
            if norm.isdigit() or re.fullmatch(r"\d+(?:[.,:/-]\d+)*", word):
                found.add(norm)
            elif norm in _MONTHS_DAYS:
                found.add(norm)
            elif i > 0 and word[0].isupper() and norm not in _COMMON_CAPITALISED:
                found.add(norm)
    return found


def _source_tokens(text: str) -> set[str]:
    words = {_normalise(w) for w in _WORD.findall(text)}
    return words | set(_PLACEHOLDER.findall(text))


def check_item(
    path: str,
    item: Item,
    segments: dict[int, str],
    options: GroundingOptions,
    embedder: EmbeddingBackend | None = None,
) -> ItemCheck:
    if item.status == "handmatig":
        return ItemCheck(pad=path, status="handmatig")
    reasons: list[str] = []
    missing = sorted({b for b in item.bronnen if b not in segments})
    cited = [segments[b] for b in dict.fromkeys(item.bronnen) if b in segments]
    text = item.grounding_text()
    if not item.bronnen:
        reasons.append("geen bronnen opgegeven")
    elif missing:
        reasons.append(f"bronnen bestaan niet in het transcript: {', '.join(map(str, missing))}")
    if not cited:
        return ItemCheck(pad=path, status="niet_onderbouwd", redenen=reasons or ["geen bronnen"],
                         ontbrekende_bronnen=missing)
    source = "\n".join(cited)
    not_found: list[str] = []
    if options.check_critical_tokens:
        available = _source_tokens(source) | set(options.free_placeholders)
        not_found = sorted(t for t in critical_tokens(text) if t not in available)
        if not_found:
            reasons.append("namen, getallen of datums komen niet voor in de bronnen: " + ", ".join(not_found))
    item_stems = content_stems(text)
    lexical = len(item_stems & content_stems(source)) / len(item_stems) if item_stems else 0.0
    similarity: float | None = None
    if embedder is not None:
        vectors = embedder.embed([text, *cited])
        similarity = float(max(vectors[1:] @ vectors[0]))
    supported = lexical >= options.min_lexical_overlap or (
        similarity is not None and similarity >= options.min_embedding_similarity
    )
    if not supported:
        detail = f"te weinig overlap met de bronnen (woorden {lexical:.2f}"
        detail += f", betekenis {similarity:.2f})" if similarity is not None else ")"
        reasons.append(detail)
    return ItemCheck(
        pad=path,
        status="onderbouwd" if not reasons else "niet_onderbouwd",
        redenen=reasons,
        lexicale_overlap=round(lexical, 3),
        embedding_overlap=None if similarity is None else round(similarity, 3),
        ontbrekende_bronnen=missing,
        niet_gevonden=not_found,
    )


def ground_verslag(
    verslag: Verslag,
    transcript: PseudonymisedTranscript,
    options: GroundingOptions | None = None,
    embedder: EmbeddingBackend | None = None,
) -> GroundingResult:
    """Check every item, set its ``status`` in place, and return (and store) the result."""
    options = options or GroundingOptions()
    segments = {s.id: f"{s.speaker or ''}: {s.text}" for s in transcript.segments}
    checks = []
    for path, item in verslag.iter_items():
        check = check_item(path, item, segments, options, embedder)
        item.status = check.status
        checks.append(check)
    result = GroundingResult(
        gecontroleerd=len(checks),
        onderbouwd=sum(c.status == "onderbouwd" for c in checks),
        niet_onderbouwd=sum(c.status == "niet_onderbouwd" for c in checks),
        handmatig=sum(c.status == "handmatig" for c in checks),
        items=checks,
        options=options.model_dump(),
        embedding_model=embedder.model_ref if embedder is not None else None,
    )
    verslag.grounding = result
    return result
