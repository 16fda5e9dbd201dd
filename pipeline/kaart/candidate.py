"""A catalogue entry proposed for one need, before and after re-ranking."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Candidate:
    index: int
    score: float
    reden: str
    zwak: bool
