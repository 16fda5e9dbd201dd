"""Transcripts longer than the context: per-section retrieval, tested on a generated 60+ minute VG."""

from __future__ import annotations

import json
import random

import pytest

from models.llm.fake import FakeLLM
from pipeline.transcript import PseudonymisedSegment
from pipeline.verslag import DraftOptions, draft_verslag
from pipeline.verslag.longcontext import segment_line, select_segments

from .conftest import make_transcript

FILLER = [
    "Ja, dat herken ik wel, het is soms lastig om dat goed uit te leggen.",
    "We hadden het er eerder al even over, maar ik wil er nog iets meer over vertellen.",
    "Mijn moeder woonde vroeger ook in deze buurt, dat was een hele andere tijd.",
    "Het weer was de laatste tijd ook niet echt om vrolijk van te worden.",
    "Ik kijk veel televisie, vooral programma's over koken en over tuinieren.",
    "De buren hebben een nieuwe auto gekocht en die staat altijd voor mijn deur.",
]
AFSPRAAK = "We spreken af dat [PERSOON-2] u volgende week aanmeldt bij de schuldhulpverlening van het wijkteam."


def long_transcript(n: int = 900, seed: int = 7):  # noqa: ANN201
    rng = random.Random(seed)
    turns = [(rng.choice(["[INWONER]", "[PERSOON-1]", "[PERSOON-2]"]), rng.choice(FILLER)) for _ in range(n)]
    turns[n // 2] = ("[PERSOON-2]", AFSPRAAK)
    return make_transcript(turns)


def test_long_transcript_uses_retrieval_and_every_prompt_fits_the_context() -> None:
    pt = long_transcript()
    middle = len(pt.segments) // 2 + 1
    answer = json.dumps({"afspraken": [{"tekst": "Aanmelding bij de schuldhulpverlening van het wijkteam",
                                        "wie": "[PERSOON-2]", "wat": "aanmelden", "waar": "wijkteam",
                                        "wanneer": "volgende week", "ondersteuning_naam": "schuldhulpverlening",
                                        "ondersteuning_vorm": None, "bronnen": [middle]}]})
    llm = FakeLLM({"afspraken": answer}, context_tokens=8192)
    options = DraftOptions(mode="sections", max_tokens_per_section=512)
    assert llm.count_tokens(pt.render_for_prompt()) > 15_000  # a 60-90 minute VG
    verslag = draft_verslag(pt, llm, options)
    info = verslag.draft
    assert info.lange_context == "retrieval" and info.transcript_tokens > 15_000
    for request in llm.requests:
        prompt_tokens = sum(llm.count_tokens(m.content) for m in request.messages)
        assert prompt_tokens + options.max_tokens_per_section <= llm.context_tokens
    afspraken_run = next(s for s in info.secties if s.sectie == "afspraken")
    assert middle in afspraken_run.segmenten_in_prompt
    assert afspraken_run.segmenten_in_prompt == sorted(afspraken_run.segmenten_in_prompt)
    assert len(afspraken_run.segmenten_in_prompt) < len(pt.segments)
    assert verslag.afspraken[0].status == "onderbouwd"


def test_short_transcript_is_sent_whole_even_when_retrieval_is_forced_if_it_fits(short_transcript) -> None:  # noqa: ANN001
    llm = FakeLLM()
    verslag = draft_verslag(short_transcript, llm, DraftOptions(mode="sections", sections=["ik_wil"], long_context="retrieval"))
    assert verslag.draft.secties[2].segmenten_in_prompt == [s.id for s in short_transcript.segments]


def _segments(texts: list[str]) -> list[PseudonymisedSegment]:
    return [PseudonymisedSegment(id=i, start=i, end=i + 1, speaker="[INWONER]", text=t) for i, t in enumerate(texts, 1)]


def _count(text: str) -> int:
    return len(text.split())


@pytest.mark.parametrize("budget", [14, 25, 60])
def test_selection_respects_the_budget_and_prefers_relevant_segments(budget: int) -> None:
    texts = FILLER * 5
    texts[17] = "Ik heb schulden en wil hulp van de schuldhulpverlening."
    segments = _segments(texts)
    ids = select_segments(segments, "schulden schuldhulpverlening", budget, _count, neighbours=1)
    used = sum(_count(segment_line(s)) + 1 for s in segments if s.id in ids)
    assert used <= budget
    assert 18 in ids
    assert ids == sorted(ids)


def test_neighbours_are_added_for_context() -> None:
    texts = FILLER * 3
    texts[8] = "Ik heb schulden."
    ids = select_segments(_segments(texts), "schulden", 60, _count, neighbours=1)
    assert {8, 9, 10} <= set(ids)


@pytest.mark.parametrize(("budget", "expected"), [(10_000, list(range(1, 7))), (0, [])])
def test_everything_or_nothing(budget: int, expected: list[int]) -> None:
    assert select_segments(_segments(FILLER), "schulden", budget, _count) == expected
