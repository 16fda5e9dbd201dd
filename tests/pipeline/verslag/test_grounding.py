from __future__ import annotations

import numpy as np
import pytest

from core.provenance import ModelRef
from pipeline.transcript import PseudonymisedTranscript
from pipeline.verslag.grounding import GroundingOptions, check_item, critical_tokens, ground_verslag
from pipeline.verslag.schema import Afspraak, Hulpvraag, Item, Verslag

SEGMENTS = {
    1: "[INWONER]: Ik slaap slecht en ik pieker veel sinds ik mijn werk kwijt ben.",
    2: "[PERSOON-2]: We spreken af dat ik u op 12 maart aanmeld bij het Wijkteam Noord.",
    3: "[INWONER]: Mijn zus [PERSOON-3] helpt me met de post, twee keer per week.",
}


@pytest.mark.parametrize(
    ("item", "status"),
    [
        # supported: paraphrase sharing stems, numbers and names present
        (Item(tekst="Slaapt slecht en piekert veel sinds het verlies van werk", bronnen=[1]), "onderbouwd"),
        (Item(tekst="Aanmelding bij Wijkteam Noord op 12 maart", bronnen=[2]), "onderbouwd"),
        (Item(tekst="Zus [PERSOON-3] helpt 2 keer per week met de post", bronnen=[3]), "onderbouwd"),
        (Item(tekst="[INWONER] slaapt slecht", bronnen=[1]), "onderbouwd"),
        (Item(tekst="Zus helpt met de post", bronnen=[3, 1]), "onderbouwd"),
        # not supported
        (Item(tekst="Slaapt slecht", bronnen=[]), "niet_onderbouwd"),
        (Item(tekst="Slaapt slecht", bronnen=[99]), "niet_onderbouwd"),
        (Item(tekst="Aanmelding bij Wijkteam Noord op 14 maart", bronnen=[2]), "niet_onderbouwd"),
        (Item(tekst="Aanmelding bij Wijkteam Zuid", bronnen=[2]), "niet_onderbouwd"),
        (Item(tekst="Zus [PERSOON-4] helpt met de post", bronnen=[3]), "niet_onderbouwd"),
        (Item(tekst="Wil een opleiding tot verpleegkundige volgen", bronnen=[1]), "niet_onderbouwd"),
        (Item(tekst="Slaapt slecht en piekert veel", bronnen=[2]), "niet_onderbouwd"),
        (Item(tekst="Aanmelding in april", bronnen=[2]), "niet_onderbouwd"),
        # handmatig is never touched
        (Item(tekst="Iets wat de professional zelf schreef", bronnen=[], status="handmatig"), "handmatig"),
    ],
)
def test_check_item(item: Item, status: str) -> None:
    assert check_item("x", item, SEGMENTS, GroundingOptions()).status == status


def test_reasons_name_what_is_missing() -> None:
    check = check_item("ik_wil[0]", Item(tekst="Aanmelding in april bij Wijkteam Zuid", bronnen=[2, 7]),
                       SEGMENTS, GroundingOptions())
    assert check.ontbrekende_bronnen == [7]
    assert set(check.niet_gevonden) == {"april", "zuid"}
    assert any("bronnen bestaan niet" in r for r in check.redenen)


def test_structured_fields_are_checked_too() -> None:
    afspraak = Afspraak(tekst="Aanmelding bij het wijkteam", wanneer="op 20 mei", bronnen=[2])
    assert check_item("afspraken[0]", afspraak, SEGMENTS, GroundingOptions()).status == "niet_onderbouwd"
    hulpvraag = Hulpvraag(tekst="Slecht slapen en piekeren", context="Werk kwijt", bronnen=[1])
    assert check_item("hulpvraag", hulpvraag, SEGMENTS, GroundingOptions()).status == "onderbouwd"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gesprek met [PERSOON-1] op 3 maart.", {"[PERSOON-1]", "3", "maart"}),
        ("Over zes weken evalueren met Jan.", {"6", "jan"}),
        ("Inwoner wil weer werken.", set()),
        ("Dit is een zin. Daarna een zin.", set()),
    ],
)
def test_critical_tokens(text: str, expected: set[str]) -> None:
    assert critical_tokens(text) == expected


class _Embedder:
    """Deterministic embedder: identical vectors for texts sharing the word 'rust'."""

    name = "fake-emb"
    dimension = 2

    @property
    def model_ref(self) -> ModelRef:
        return ModelRef(backend="fake", name="fake-emb")

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.array([[1.0, 0.0] if "rust" in t or "pieker" in t else [0.0, 1.0] for t in texts])


def test_embedding_overlap_can_support_a_paraphrase() -> None:
    item = Item(tekst="Verlangt naar rust", bronnen=[1])
    assert check_item("x", item, SEGMENTS, GroundingOptions()).status == "niet_onderbouwd"
    check = check_item("x", item, SEGMENTS, GroundingOptions(), embedder=_Embedder())
    assert check.status == "onderbouwd" and check.embedding_overlap == 1.0


def test_ground_verslag_sets_status_and_records_the_result(short_transcript: PseudonymisedTranscript) -> None:
    verslag = Verslag(ik_wil=[Item(tekst="Weer rust in mijn hoofd", bronnen=[2]),
                              Item(tekst="Naar Parijs verhuizen", bronnen=[2])],
                      ik_kan=[Item(tekst="Zelf geschreven", status="handmatig")])
    result = ground_verslag(verslag, short_transcript, embedder=_Embedder())
    assert [i.status for i in verslag.ik_wil] == ["onderbouwd", "niet_onderbouwd"]
    assert (result.gecontroleerd, result.onderbouwd, result.niet_onderbouwd, result.handmatig) == (3, 1, 1, 1)
    assert verslag.grounding == result and result.embedding_model.name == "fake-emb"
    assert [c.pad for c in result.items] == ["ik_wil[0]", "ik_wil[1]", "ik_kan[0]"]
