"""Text normalisation before analysis: invisible characters, NFKC, odd spaces, look-alikes, and
the offset map back to the original text."""

from __future__ import annotations

import pytest

from pipeline.deid.normalise import is_invisible, normalise_text

CASES = [
    # (original, normalised)
    ("Sanne de Groot", "Sanne de Groot"),
    ("San\u200bne", "Sanne"),  # zero-width space
    ("Gr\u00adoot", "Groot"),  # soft hyphen
    ("\ufeffSanne", "Sanne"),  # BOM
    ("Sa\u200cn\u200dne\u2060", "Sanne"),  # ZWNJ, ZWJ, word joiner
    ("\u202eennaS\u202c", "ennaS"),  # bidi override: removed, text left in storage order
    ("Sanne\u00a0de\u202fGroot", "Sanne de Groot"),  # no-break spaces
    ("Sanne\u2003de\u3000Groot", "Sanne de Groot"),  # em space, ideographic space
    ("1719\u200b73069", "171973069"),
    ("\uff11\uff17\uff11\uff19\uff17\uff13\uff10\uff16\uff19", "171973069"),  # fullwidth digits
    ("\uff33\uff41\uff4e\uff4e\uff45", "Sanne"),  # fullwidth letters
    ("S\u0430nne", "Sanne"),  # Cyrillic a inside a Latin word
    ("\u0421\u0430\u043d\u043d\u0430", "\u0421\u0430\u043d\u043d\u0430"),  # a wholly Cyrillic word stays
    ("e\u0301", "\u00e9"),  # combining accent composes
    ("\ufb01ets", "fiets"),  # ligature expands
    ("a\x00b", "a b"),  # control character to a space
    ("regel\neen\ttwee", "regel\neen\ttwee"),  # newline and tab kept
    ("\u200b\u200c\u00ad", ""),  # invisible only
    ("", ""),
]


@pytest.mark.parametrize(("original", "expected"), CASES)
def test_normalised_text(original: str, expected: str) -> None:
    norm = normalise_text(original)
    assert norm.text == expected
    assert len(norm.starts) == len(norm.ends) == len(norm.text)
    assert norm.changed == (original != expected)


@pytest.mark.parametrize(
    ("original", "needle", "covered"),
    [
        ("Mijn naam is San\u200bne de Gr\u00adoot.", "Sanne de Groot", "San\u200bne de Gr\u00adoot"),
        ("BSN 1719\u200b73069!", "171973069", "1719\u200b73069"),
        ("\u200bSanne\u200b", "Sanne", "Sanne"),  # invisible characters at the edges stay outside
        ("\ufb01ets", "fi", "\ufb01"),  # half a ligature maps to the whole original character
        ("Caf\u00e9 e\u0301", "\u00e9", "\u00e9"),
        ("x \uff11\uff12 y", "12", "\uff11\uff12"),
    ],
)
def test_span_maps_back_to_original(original: str, needle: str, covered: str) -> None:
    norm = normalise_text(original)
    start = norm.text.index(needle)
    a, b = norm.to_original(start, start + len(needle))
    assert original[a:b] == covered


def test_every_normalised_character_maps_into_the_original() -> None:
    original = "\ufeffA\u00a0\u200bB\u0301\ufb01 \uff19\u00ad"
    norm = normalise_text(original)
    for i in range(len(norm.text)):
        a, b = norm.to_original(i, i + 1)
        assert 0 <= a < b <= len(original)
    assert list(norm.starts) == sorted(norm.starts)


@pytest.mark.parametrize(("char", "invisible"), [
    ("\u200b", True), ("\u00ad", True), ("\ufeff", True), ("\u2066", True), ("\U000e0041", True),
    ("\ufe0f", True), ("\u034f", True), ("a", False), (" ", False), ("\u00e9", False), ("\n", False),
])
def test_is_invisible(char: str, invisible: bool) -> None:
    assert is_invisible(char) is invisible
