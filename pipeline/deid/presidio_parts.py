"""Two Presidio parts adjusted for speed and reproducibility (issue 15).

``IndexedLemmaContextEnhancer``: Presidio's lemma context enhancer with a token lookup that does not
walk the document.
``LemmaContextAwareEnhancer._find_index_of_match_token`` iterates over the spaCy ``Doc`` from the
start for every detected span, creating a ``Token`` object per step: on an hour of conversation
that was 60% of de-identification time (issue 15). The token is the first one whose end lies after
the span's start; with the documents' token offsets as one array per document that is a binary
search. The result is identical (tested against the original on real text).

``OrderedRecognizerRegistry``: Presidio's registry hands out its recognizers as a ``set``, so their
order follows object hashes and differs between processes; its de-duplication then keeps a
different one of two equal-scored results on the same span (the named recognizer and the evidence in
the output changed from run to run). Sorted by name, every run gives the same output.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
from presidio_analyzer import RecognizerRegistry
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer


class _CopiedPerResult(list):
    """The enhancer deep-copies its input so it can raise scores without touching the caller's
    results; the analyzer drops those right after, so copying each result object is enough (the
    deep copy of every explanation and metadata dict was 5% of de-identification time)."""

    def __deepcopy__(self, memo: dict) -> list[Any]:
        return [copy.copy(result) for result in self]


class IndexedLemmaContextEnhancer(LemmaContextAwareEnhancer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._doc: Any = None
        self._ends: np.ndarray = np.zeros(0, dtype=np.int64)

    def enhance_using_context(self, text: str, raw_results: list[Any], *args: Any, **kwargs: Any) -> list[Any]:
        return super().enhance_using_context(text, _CopiedPerResult(raw_results), *args, **kwargs)

    def _token_ends(self, tokens: Any) -> np.ndarray:
        if tokens is not self._doc:  # one array per document (Presidio passes the same Doc for all its spans)
            from spacy.attrs import IDX, LENGTH

            offsets = tokens.to_array([IDX, LENGTH]).astype(np.int64).reshape(-1, 2)
            self._doc, self._ends = tokens, offsets[:, 0] + offsets[:, 1]
        return self._ends

    def _find_index_of_match_token(self, word: str, start: int, tokens: Any, tokens_indices: list[int]) -> int:  # type: ignore[override]
        if not hasattr(tokens, "to_array"):  # not a spaCy Doc: the original search
            return LemmaContextAwareEnhancer._find_index_of_match_token(word, start, tokens, tokens_indices)
        index = int(np.searchsorted(self._token_ends(tokens), start, side="right"))
        if index >= len(tokens):
            raise ValueError(f"Did not find word '{word}' in the list of tokens although it is expected to be found")
        return index


class OrderedRecognizerRegistry(RecognizerRegistry):
    def get_recognizers(self, *args: Any, **kwargs: Any) -> list[Any]:
        found = super().get_recognizers(*args, **kwargs)
        return sorted(found, key=lambda r: (r.name, ",".join(sorted(r.supported_entities))))
