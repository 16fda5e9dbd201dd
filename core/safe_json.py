"""JSON from users' files without ``RecursionError``: nesting is checked before parsing.

``json.loads('[' * 100_000)`` ends in a ``RecursionError`` (a traceback, not a message). Files we
read (CASE.json, transcript.json) are at most a few levels deep, so anything deeper than
:data:`MAX_DEPTH` is refused with :class:`JsonTooDeepError`, which callers turn into their own
Dutch domain error.
"""

from __future__ import annotations

import json
import re

MAX_DEPTH = 64
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


class JsonTooDeepError(ValueError):
    """The document nests deeper than allowed."""


def nesting_depth(text: str, limit: int = MAX_DEPTH) -> int:
    """The deepest bracket nesting outside strings (stops counting once above ``limit``)."""
    depth = deepest = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif token in "]}":
            depth -= 1
    return deepest


def loads_limited(text: str, max_depth: int = MAX_DEPTH) -> object:
    """``json.loads`` that raises :class:`JsonTooDeepError` instead of recursing without bound."""
    if nesting_depth(text, max_depth) > max_depth:
        raise JsonTooDeepError(f"nesting deeper than {max_depth}")
    try:
        return json.loads(text)
    except RecursionError:  # belt and braces: a parser with a smaller stack than expected
        raise JsonTooDeepError(f"nesting deeper than {max_depth}") from None
