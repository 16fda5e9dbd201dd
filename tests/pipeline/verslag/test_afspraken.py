"""Afspraken from the duo's own action sentences (evidence mode, no model): tables of sentences that
are and are not an afspraak, and the wie/wanneer taken from them."""

from __future__ import annotations

import pytest

from models.llm.fake import FakeLLM
from pipeline.transcript import PseudonymisedSegment
from pipeline.verslag import DraftOptions, draft_verslag
from pipeline.verslag.afspraken import action_sentences, afspraken_from_sentences

from .conftest import make_transcript


def _seg(text: str, speaker: str = "[PROFESSIONAL-SOCIAAL]", i: int = 1) -> PseudonymisedSegment:
    return PseudonymisedSegment(id=i, start=0.0, end=1.0, speaker=speaker, role="sociaal", text=text)


@pytest.mark.parametrize(("sentence", "wie", "wanneer"), [
    ("[PROFESSIONAL-GGZ] brengt de casus binnen twee weken in bij de overlegtafel.", "[PROFESSIONAL-GGZ]", "binnen twee weken"),
    ("Ik meld u deze week aan bij de schuldhulpverlening.", "[PROFESSIONAL-SOCIAAL]", "deze week"),
    ("Ik bel volgende week met het ROC over terugkeer in september.", "[PROFESSIONAL-SOCIAAL]", "volgende week"),
    ("We gaan zaterdag samen naar het repair café.", "het gespreksduo", "zaterdag"),
    ("[INWONER] meldt zich aan bij de hardloopgroep van dinsdagavond.", "[INWONER]", "dinsdagavond"),
    ("Ik vraag de huisarts om een verwijzing naar de basis ggz.", "[PROFESSIONAL-SOCIAAL]", None),
])
def test_an_action_sentence_is_one_afspraak(sentence: str, wie: str | None, wanneer: str | None) -> None:
    [afspraak] = afspraken_from_sentences([1], {1: _seg(sentence)}, limit=6)
    assert afspraak.tekst == sentence and afspraak.bronnen == [1] and afspraak.herkomst == "citaat"
    assert (afspraak.wie, afspraak.wanneer) == (wie, wanneer)


@pytest.mark.parametrize("sentence", [
    "Dan de afspraken.",                                             # a heading
    "Dan vat ik het samen.",                                         # announcing the summary
    "Als de klachten over drie maanden niet minder zijn, kijken we opnieuw.",  # a possibility
    "Zullen we volgende week bellen?",                               # a question
    "Dat wandelen op woensdag geeft structuur.",                     # no action
    "Fijn.",
])
def test_sentences_that_are_no_afspraak(sentence: str) -> None:
    assert action_sentences(_seg(sentence)) == []


def test_a_summary_turn_gives_one_afspraak_per_action_and_a_repeated_action_once() -> None:
    segments = {
        3: _seg("Ik meld u aan voor de wandelgroep van Welzijn op recept.", i=3),
        9: _seg("Dan vat ik het samen. Ik meld u deze week aan voor de wandelgroep van Welzijn op recept. "
                "[PERSOON-2] belt u elke woensdagavond.", i=9),
    }
    afspraken = afspraken_from_sentences([3, 9], segments, limit=6)
    assert [a.tekst for a in afspraken] == [
        "Ik meld u deze week aan voor de wandelgroep van Welzijn op recept.",  # the later, fuller form
        "[PERSOON-2] belt u elke woensdagavond.",
    ]
    assert afspraken[0].bronnen == [3, 9] and afspraken[1].bronnen == [9]
    assert len(afspraken_from_sentences([3, 9], segments, limit=1)) == 1


def test_evidence_mode_writes_afspraken_without_asking_the_model() -> None:
    pt = make_transcript([
        ("[INWONER]", "Ik heb hulp nodig met de post."),
        ("[PERSOON-2]", "Dan de afspraken. [PERSOON-2] opent volgende week dinsdag samen met u de post. "
                        "[PERSOON-1] vraagt deze week een verwijzing naar de basis ggz aan."),
    ])
    llm = FakeLLM()
    v = draft_verslag(pt, llm, DraftOptions(mode="evidence", sections=["afspraken"]))
    assert llm.calls_for("schrijf:afspraken") == 0
    assert [a.wie for a in v.afspraken] == ["[PERSOON-2]", "[PERSOON-1]"]
    assert all(a.status == "onderbouwd" for a in v.afspraken)


@pytest.mark.parametrize(("sentence", "wat", "waar"), [
    ("[PROFESSIONAL-GGZ] brengt de casus binnen twee weken in bij de overlegtafel.",
     "brengt de casus in bij de overlegtafel", "overlegtafel"),
    ("Ik meld u deze week aan bij de schuldhulpverlening van de gemeente.",
     "meld u aan bij de schuldhulpverlening van de gemeente", "schuldhulpverlening van de gemeente"),
    ("Ik vraag dokter [PERSOON-3] om een verwijzing.", "vraag dokter [PERSOON-3] om een verwijzing", None),
])
def test_wat_and_waar_come_from_the_sentence(sentence: str, wat: str, waar: str | None) -> None:
    [afspraak] = afspraken_from_sentences([1], {1: _seg(sentence)}, limit=6)
    assert (afspraak.wat, afspraak.waar, afspraak.wie) == (wat, waar, "[PROFESSIONAL-GGZ]" if "GGZ]" in sentence
                                                            else "[PROFESSIONAL-SOCIAAL]")


def test_waar_stops_at_a_second_clause_and_a_weekly_moment_is_kept_whole() -> None:
    [a] = afspraken_from_sentences([1], {1: _seg("Ik meld je deze week aan bij schuldhulpverlening en ga mee naar de intake.")}, 6)
    assert a.waar == "schuldhulpverlening"
    [b] = afspraken_from_sentences([1], {1: _seg("Tot de schuldhulp start, kom ik elke dinsdag samen met jou de post doorlopen.")}, 6)
    assert b.wanneer == "elke dinsdag"
