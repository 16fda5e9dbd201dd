"""Digits as ASR writes them: "06-12345678", "06 12 34 56 78", "nul zes twaalf vierendertig".

:func:`number_runs` finds maximal runs of number tokens (digit groups and Dutch number words
0-99, plus "honderd"/"duizend" years) and returns each token with its character span and the
digits it stands for. Recognizers for BSN and phone numbers search these runs for sub-runs whose
digits validate (elfproef, phone shape), so spoken and written forms share one code path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {
    "nul": 0, "een": 1, "één": 1, "eén": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5,
    "zes": 6, "zeven": 7, "acht": 8, "negen": 9,
}
_TEENS = {
    "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19,
}
_TENS = {
    "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70,
    "tachtig": 80, "negentig": 90,
}
_COMPOUND = re.compile(
    r"^(een|één|twee|drie|vier|vijf|zes|zeven|acht|negen)(?:en|ën)"
    r"(twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig)$"
)


def word_value(word: str) -> str | None:
    """Digits spoken by one Dutch number word (0-99), e.g. ``vierendertig`` -> ``"34"``."""
    w = word.lower()
    if w in _UNITS:
        return str(_UNITS[w])
    if w in _TEENS:
        return str(_TEENS[w])
    if w in _TENS:
        return str(_TENS[w])
    m = _COMPOUND.match(w)
    if m:
        return str(_TENS[m.group(2)] + _UNITS[m.group(1)])
    return None


def spoken_number(words: str) -> int | None:
    """Value of a spoken whole number up to 9999 (``negentienhonderdvijfentachtig`` -> 1985)."""
    w = words.lower().replace(" ", "")
    m = re.fullmatch(r"(.*?)duizend(.*)", w)
    if m:
        head = spoken_number(m.group(1)) if m.group(1) else 1
        tail = spoken_number(m.group(2)) if m.group(2) else 0
        return None if head is None or tail is None else head * 1000 + tail
    m = re.fullmatch(r"(.*?)honderd(.*)", w)
    if m:
        head = spoken_number(m.group(1)) if m.group(1) else 1
        tail = spoken_number(m.group(2)) if m.group(2) else 0
        return None if head is None or tail is None else head * 100 + tail
    if w.isdigit():
        return int(w)
    v = word_value(w)
    return None if v is None else int(v)


@dataclass(frozen=True)
class NumberToken:
    start: int
    end: int
    digits: str


_TOKEN = re.compile(r"\+?\d+|[^\W\d_]+", re.UNICODE)
# What may sit between two number tokens of one run: spaces, dashes, dots, slashes, a comma.
_GLUE = re.compile(r"^[\s\-./,]*$")


def number_runs(text: str) -> list[list[NumberToken]]:
    """Maximal runs of adjacent number tokens (digit groups or number words)."""
    runs: list[list[NumberToken]] = []
    current: list[NumberToken] = []
    last_end = 0
    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        if tok[0] == "+" or tok.isdigit():
            digits = tok
        elif tok.lower() == "plus":
            digits = "+"
        else:
            digits = word_value(tok)
        if digits is None:
            if current:
                runs.append(current)
            current = []
            continue
        if current and not _GLUE.match(text[last_end : m.start()]):
            runs.append(current)
            current = []
        current.append(NumberToken(m.start(), m.end(), digits))
        last_end = m.end()
    if current:
        runs.append(current)
    return runs


def sub_runs(run: list[NumberToken], min_digits: int, max_digits: int):
    """Yield ``(start, end, digits)`` for every contiguous sub-run within a digit-length range."""
    for i in range(len(run)):
        digits = ""
        for j in range(i, len(run)):
            digits += run[j].digits
            n = len(digits.lstrip("+"))
            if n > max_digits:
                break
            if n >= min_digits:
                yield run[i].start, run[j].end, digits
