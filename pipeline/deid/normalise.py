"""Text normalisation before de-identification, with a map back to the original offsets.

Recognizers match on what a reader sees, not on the code points: "San\\u200bne" (zero-width
space) or "Gr\\u00adoot" (soft hyphen) read as "Sanne" and "Groot" but slip past every pattern
and name list. Before analysis the text is therefore

- NFKC-normalised (fullwidth digits and letters, ligatures, superscripts to plain forms),
- stripped of invisible characters (Unicode category Cf: zero-width space/joiners, soft hyphen,
  BOM, bidi controls, tag characters; plus the other default-ignorable code points),
- given plain spaces for every other kind of space and for control characters,
- folded from Cyrillic/Greek look-alike letters to Latin inside words that also contain Latin
  letters ("Sаnne" with a Cyrillic "а"); words wholly in another script are left alone.

:class:`NormalisedText` keeps, per normalised character, the range of original characters it came
from, so a span found in the normalised text maps back to a span of the ORIGINAL text that covers
every hidden character inside it. Pseudonymisation then replaces the original characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# Default-ignorable code points that are not in category Cf (which is removed as a whole).
_IGNORABLE_EXTRA = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0}
_IGNORABLE_RANGES = ((0x180B, 0x180F), (0xFE00, 0xFE0F), (0xE0100, 0xE01EF))

# Cyrillic and Greek letters that look like Latin ones (lower and upper case).
_CONFUSABLES = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ԁ": "d",
    "ѕ": "s", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ɡ": "g",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "Ԁ": "D",
    "α": "a", "ο": "o", "ν": "v", "ι": "i", "κ": "k", "ρ": "p", "τ": "t", "υ": "u",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
})
_WORD = re.compile(r"\w+")
_LATIN = re.compile(r"[A-Za-z]")


def is_invisible(char: str) -> bool:
    """A character that renders as nothing (and so must not split a word for a recognizer)."""
    cp = ord(char)
    if unicodedata.category(char) == "Cf" or cp in _IGNORABLE_EXTRA:
        return True
    return any(a <= cp <= b for a, b in _IGNORABLE_RANGES)


def _as_space(char: str) -> bool:
    category = unicodedata.category(char)
    if category in ("Zs", "Zl", "Zp"):
        return char != " "
    return category == "Cc" and char not in "\t\n\r"


@dataclass(frozen=True)
class NormalisedText:
    """The normalised text and, per normalised character, its original ``[start, end)``."""

    original: str
    text: str
    starts: Sequence[int]
    ends: Sequence[int]

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span ``[start, end)`` of :attr:`text` to the smallest original span covering it.

        Invisible characters inside the span are covered (they are replaced with it); those just
        before or after it are not.
        """
        if not self.text:
            return 0, 0
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def _fold_confusables(text: str) -> str:
    """Latin look-alikes to Latin, only inside words that mix them with Latin letters.
    Length-preserving (one character for one), so offsets stay valid."""
    def fold(m: re.Match[str]) -> str:
        word = m.group(0)
        folded = word.translate(_CONFUSABLES)
        return folded if folded != word and _LATIN.search(word) else word

    return _WORD.sub(fold, text)


_PLAIN_ASCII = re.compile(r"[\t\n\r\x20-\x7e]*")
_CONFUSABLE_CHARS = frozenset(chr(c) for c in _CONFUSABLES)


def _needs_work(text: str) -> bool:
    """Whether :func:`normalise_text` would change anything (fast: looks at each distinct
    non-ASCII character once; most transcript text needs nothing)."""
    if _PLAIN_ASCII.fullmatch(text):
        return False
    odd = set(text) - _ASCII_PRINTABLE
    if any(is_invisible(c) or _as_space(c) for c in odd):
        return True
    if not unicodedata.is_normalized("NFKC", text):
        return True
    return bool(odd & _CONFUSABLE_CHARS) and _fold_confusables(text) != text


_ASCII_PRINTABLE = frozenset(chr(c) for c in range(0x20, 0x7F)) | {"\t", "\n", "\r"}


def normalise_text(text: str) -> NormalisedText:
    """NFKC, invisible characters removed, odd spaces to spaces, look-alikes folded; with the
    offset map (see :class:`NormalisedText`)."""
    if not _needs_work(text):
        n = len(text)
        return NormalisedText(text, text, range(n), range(1, n + 1))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        run = _PLAIN_ASCII.match(text, i).end()  # plain ASCII stays as it is, in one piece
        if run < n and run > i and unicodedata.combining(text[run]):
            run -= 1  # the last letter belongs to the accent that follows it
        if run > i:
            out.append(text[i:run])
            starts.extend(range(i, run))
            ends.extend(range(i + 1, run + 1))
            i = run
            continue
        char = text[i]
        if is_invisible(char):
            i += 1
            continue
        # a cluster: one base character plus the combining marks that follow it
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = text[i:j]
        if _as_space(char):
            piece = " " + unicodedata.normalize("NFKC", cluster[1:]) if len(cluster) > 1 else " "
        else:
            piece = unicodedata.normalize("NFKC", cluster)
        piece = "".join(" " if _as_space(c) else c for c in piece if not is_invisible(c))
        out.append(piece)
        starts.extend([i] * len(piece))
        ends.extend([j] * len(piece))
        i = j
    normalised = _fold_confusables("".join(out))
    return NormalisedText(text, normalised, starts, ends)
