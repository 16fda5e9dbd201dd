"""Word tokens with character offsets, shared by the name recognizers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+)*['’]?", re.UNICODE)
_SKIPPED_BEFORE = frozenset(" \t\"'“‘(-")
_POSSESSIVE = re.compile(r"(?:['’]s|['’]|['’]?s(?=\Z))$")


@dataclass(frozen=True)
class WordToken:
    start: int
    end: int
    text: str
    sentence_initial: bool

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @cached_property  # asked for by several recognizers, per person: computed once per token
    def base(self) -> str:
        """The word without a possessive ending: ``Sandra's`` -> ``Sandra``, ``Kees'`` -> ``Kees``."""
        t = self.text
        for suffix in ("'s", "’s", "'", "’"):
            if t.endswith(suffix) and len(t) > len(suffix) + 1:
                return t[: -len(suffix)]
        return t


@lru_cache(maxsize=2048)
def word_tokens(text: str) -> tuple[WordToken, ...]:
    """The words of ``text``; cached, because four recognizers ask for the same turn's words, and
    the NER's turn filter and the name spreading over the whole transcript ask again (2,048 turns:
    a long conversation)."""
    tokens = []
    for m in _WORD.finditer(text):
        j = m.start()  # the last character before the word that is not a space, quote, bracket or dash
        while j > 0 and text[j - 1] in _SKIPPED_BEFORE:
            j -= 1
        initial = j == 0 or text[j - 1] in ".!?:\n"
        tokens.append(WordToken(m.start(), m.end(), m.group(0), initial))
    return tuple(tokens)
