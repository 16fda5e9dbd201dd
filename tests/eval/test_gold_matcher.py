"""The turn-aware gold-item matcher: few sources, near the gold turns, shared content words."""

from __future__ import annotations

import pytest

from eval.suites.verslag_match import gold_pair, match_gold_items

GOLD = "Ik wil weer rust in mijn hoofd."


@pytest.mark.parametrize(("text", "cited", "turns", "found"), [
    ("Ik wil rust in mijn hoofd", [17], [17], True),                # same turn, shared words
    ("Ik wil rust in mijn hoofd", [18], [17], True),                # one turn away
    ("Ik wil rust in mijn hoofd", [19], [17], False),               # two turns away
    ("Ik wil rust in mijn hoofd", [12, 13, 14, 15, 16, 17], [17], True),      # six sources: still allowed
    ("Ik wil rust in mijn hoofd", [11, 12, 13, 14, 15, 16, 17], [17], False),  # a block of seven: never
    ("Ik wil rust in mijn hoofd", [17, 17, 17], [17], True),        # duplicates count once
    ("Ik wil weer gaan werken", [17], [17], False),                 # right turn, no shared content word
    ("Ik wil rust in mijn hoofd", [], [17], False),                 # no sources
    ("Ik wil rust in mijn hoofd", [17], [], False),                 # gold without turns
    ("[INWONER] wil [PERSOON-1] zien", [17], [17], False),          # placeholders are not content words
])
def test_gold_pair(text: str, cited: list[int], turns: list[int], found: bool) -> None:
    assert (gold_pair(GOLD, turns, text, cited) is not None) is found


def test_names_from_the_case_do_not_count_as_shared_words() -> None:
    assert gold_pair("Sanne wil rust", [3], "Sanne belt morgen", [3]) is not None
    assert gold_pair("Sanne wil rust", [3], "Sanne belt morgen", [3], ignore=frozenset({"sanne"})) is None


def test_pairs_are_one_to_one_so_a_broad_item_counts_once() -> None:
    gold = [("Ik wil rust in mijn hoofd.", [17]), ("Ik wil weer rust en overzicht.", [17])]
    one_item = [("Ik wil rust in mijn hoofd en overzicht.", [17])]
    assert len(match_gold_items(gold, one_item)) == 1
    two_items = one_item + [("Overzicht en rust, dat wil ik.", [18])]
    hits = match_gold_items(gold, two_items)
    assert sorted((h.gold, h.generated) for h in hits) == [(0, 0), (1, 1)]
    assert hits[1].distance == 1 and "overzicht" in hits[1].shared
