"""What one detected person name says about the rest of the conversation.

Run after the decision rule, on its spans:

1. **Continuation.** A capitalised word directly after a person span, inside the sentence, is part
   of the name ("Ehud" found, "Ehud Barak" redacted, although "barak" is a Dutch word); so is a
   capitalised word directly before one that is not an ordinary Dutch word ("Luk Alloo").
2. **Propagation** (one person per name within a document). Every word of a person span that is
   written the same way elsewhere in the text - or in another turn of the same transcript - is
   redacted there too: "Sankoh" at the start of a sentence (where a capital says nothing) after
   "Foday Sankoh" inside one; "Barak" in every later sentence. A word that is also an ordinary
   Dutch word ("Groot", "Roos") is only followed where it is capitalised inside a sentence, so
   "Groot was het niet." stays.

Both add evidence ``NameContinuation`` / ``NamePropagation`` to the span (the output keeps what
found the name and what spread it); neither changes a structured identifier or a CASE.json span,
and a propagated word never takes a span another recognizer typed as a place or organisation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, Protocol, TypeVar

from pipeline.deid.lexicon import Lexicon
from pipeline.deid.words import WordToken, word_tokens

CONTINUATION = "NameContinuation"
PROPAGATION = "NamePropagation"
_TITLES = frozenset({"meneer", "mevrouw", "mevr", "dhr", "dokter", "dr", "juf", "meester", "premier", "minister"})


class NameSpan(Protocol):
    """What this module reads of :class:`pipeline.deid.engine.Span` (a frozen dataclass)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def type(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def case_placeholder(self) -> str | None: ...
    @property
    def evidence(self) -> tuple[str, ...]: ...


S = TypeVar("S", bound=Any)  # a frozen dataclass with the fields of NameSpan


def _is_name_word(tok: WordToken, lexicon: Lexicon) -> bool:
    low = tok.base.lower()
    return (tok.capitalised and len(tok.base) >= 3 and low not in lexicon.interfixes and low not in _TITLES
            and not tok.base.isupper())


def continue_names(text: str, spans: Sequence[S], lexicon: Lexicon) -> list[S]:
    """Rule 1: person spans grown by the capitalised words that directly touch them."""
    if not any(span.type == "PERSOON" and not span.case_placeholder for span in spans):
        return list(spans)
    tokens = word_tokens(text)
    starting_at = {tok.start: tok for tok in tokens}
    ending_at = {tok.end: tok for tok in tokens}
    taken = [(s.start, s.end) for s in spans]
    out = []
    for span in spans:
        if span.type != "PERSOON" or span.case_placeholder:
            out.append(span)
            continue
        start, end = span.start, span.end
        # to the right: "Ehud" + " Barak" (also a Dutch word: the capital inside a sentence decides)
        while (tok := starting_at.get(end + 1)) is not None and text[end] == " " and tok.capitalised \
                and not tok.sentence_initial and _is_name_word(tok, lexicon) and _free(tok, taken, span):
            end = tok.end
        # to the left: "Luk" + " Alloo", only a word that is no Dutch word
        while (tok := ending_at.get(start - 1)) is not None and text[tok.end] == " " and tok.capitalised \
                and not tok.sentence_initial and _is_name_word(tok, lexicon) and not lexicon.is_word(tok.base) \
                and _free(tok, taken, span):
            start = tok.start
        if (start, end) != (span.start, span.end):
            span = replace(span, start=start, end=end, evidence=(*span.evidence, f"{CONTINUATION}:PERSOON:{span.score:.2f}"))
        out.append(span)
    return out


def _free(tok: WordToken, taken: list[tuple[int, int]], own: NameSpan) -> bool:
    return all(e <= tok.start or tok.end <= s for s, e in taken if (s, e) != (own.start, own.end))


def name_words(texts: Sequence[str], spans_per_text: Sequence[Sequence[NameSpan]], lexicon: Lexicon) -> dict[str, float]:
    """The words of every person span (not CASE.json ones: their recognizer knows their variants),
    with the best score of a span they occur in."""
    words: dict[str, float] = {}
    for text, spans in zip(texts, spans_per_text):
        for span in spans:
            if span.type != "PERSOON" or span.case_placeholder:
                continue
            for tok in word_tokens(text[span.start : span.end]):
                if _is_name_word(tok, lexicon):
                    words[tok.base] = max(words.get(tok.base, 0.0), span.score)
    return words


def propagate_names(text: str, spans: Sequence[S], words: dict[str, float], lexicon: Lexicon,
                                 make_span: Callable[[int, int, float, tuple[str, ...]], S]) -> list[S]:
    """Rule 2: ``spans`` plus a person span for every free occurrence of a word in ``words``.
    ``make_span(start, end, score, evidence)`` builds the caller's span type."""
    if not words or not any(word in text for word in words):
        return list(spans)
    added = []
    taken = [(s.start, s.end) for s in spans]
    for tok in word_tokens(text):
        score = words.get(tok.base)
        if score is None or not tok.capitalised:
            continue
        if tok.sentence_initial and lexicon.is_word(tok.base):
            continue  # "Groot was het niet."
        if any(s < tok.end and tok.start < e for s, e in taken):
            continue
        added.append(make_span(tok.start, tok.end, score, (f"{PROPAGATION}:PERSOON:{score:.2f}",)))
    return sorted([*spans, *added], key=lambda s: (s.start, s.end))
