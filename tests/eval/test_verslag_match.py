import pytest

from eval.suites.verslag_match import (
    care_offer_terms, content_stems, dice, match_items, name_words, statement_present,
)


@pytest.mark.parametrize(("generated", "gold", "paired"), [
    ("[INWONER] wil weer rust in haar hoofd", "Ik wil weer rust in mijn hoofd.", True),
    ("Hulp bij de schulden en de brieven", "Hulp met de brieven en de schulden; overzicht maken.", True),
    ("Ik wil weer met de bus kunnen", "Ik wil weer gewoon met de bus kunnen.", True),
    ("Ik wil weer werken", "Ik wil weer rust in mijn hoofd.", False),
    ("Wandelen op de heide", "Iemand om te praten over het verlies van mijn vrouw.", False),
])
def test_pairs_only_content_overlap(generated, gold, paired):
    assert bool(match_items([generated], [gold], 0.35)) is paired


def test_pairing_is_one_to_one_best_first():
    gold = ["Ik wil weer rust in mijn hoofd.", "Ik wil weer werken."]
    gen = ["rust in mijn hoofd", "weer rust", "weer werken"]
    pairs = {(m.generated, m.gold) for m in match_items(gen, gold, 0.35)}
    assert pairs == {(0, 0), (2, 1)}


def test_names_from_the_case_do_not_count_as_content():
    ignore = name_words(["Sanne de Wit"])
    assert "sanne" not in {w for w in content_stems("Sanne wil rust", ignore)}
    assert dice(content_stems("Sanne wil rust", ignore), content_stems("[INWONER] wil rust", ignore)) == 1.0


@pytest.mark.parametrize(("generated", "present"), [
    ("[INWONER] heeft suïcidale gedachten gehad.", True),
    ("[INWONER] heeft geen suïcidale gedachten.", False),   # opposite polarity
    ("[INWONER] slaapt slecht.", False),
])
def test_forbidden_statement_respects_negation(generated, present):
    found, _, _ = statement_present("Sanne heeft suïcidale gedachten.", [generated], 0.6, name_words(["Sanne de Wit"]))
    assert found is present


@pytest.mark.parametrize(("text", "offer"), [
    ("Ik wil therapie bij de ggz", True),
    ("Ik wil hulp van het wijkteam", True),
    ("Ik wil schuldhulpverlening", True),
    ("Ik wil weer rust in mijn hoofd", False),
    ("Ik wil weer onder de mensen komen", False),
    ("Ik wil mijn opleiding afmaken", False),
])
def test_care_offer_terms(text, offer):
    assert bool(care_offer_terms(text)) is offer
