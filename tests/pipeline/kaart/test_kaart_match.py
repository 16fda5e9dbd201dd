"""Matching: filters, reasons, synonyms, compounds, zwak, freshness, dense/hybrid and LLM re-ranking."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from models.llm.base import Generation, GenerationRequest
from core.errors import CatalogueError
from pipeline.kaart import Catalogue, KaartOptions, open_catalogue, suggest
from pipeline.kaart.hsds import Service, ServiceArea
from pipeline.kaart.match import available
from pipeline.kaart.profile import KaartEntry, attribute
from pipeline.kaart.text import Analyzer, load_synonyms
from core.provenance import ModelRef


def entry(**kw: object) -> KaartEntry:
    return KaartEntry(**{"id": "x", "ref": "x", "naam": "x", **kw})


@pytest.mark.parametrize(
    ("fields", "opts", "gemeente", "regio", "expected"),
    [
        ({"regio": "landelijk"}, {}, "Arnhem", "centraal-gelderland", True),
        ({"regio": "gooi"}, {}, "Hilversum", "gooi", True),
        ({"regio": "gooi"}, {}, "Arnhem", "centraal-gelderland", False),
        ({"regio": "centraal-gelderland", "gemeenten": ["Arnhem"]}, {}, "Arnhem", "centraal-gelderland", True),
        ({"regio": "centraal-gelderland", "gemeenten": ["Arnhem"]}, {}, "Renkum", "centraal-gelderland", False),
        ({"regio": "gooi", "audience": "professional"}, {}, "Hilversum", "gooi", False),
        ({"regio": "gooi", "audience": "professional"}, {"audience": "alle"}, "Hilversum", "gooi", True),
        ({"regio": "landelijk", "minimum_leeftijd": 16, "maximum_leeftijd": 27}, {"leeftijd": 21}, None, None, True),
        ({"regio": "landelijk", "minimum_leeftijd": 16, "maximum_leeftijd": 27}, {"leeftijd": 45}, None, None, False),
        ({"regio": "gooi", "voorziening_type": "informeel"}, {"voorziening_types": ["informeel"]}, None, "gooi", True),
        ({"regio": "gooi", "voorziening_type": "behandeling"}, {"voorziening_types": ["informeel"]}, None, "gooi", False),
        ({"regio": "gooi", "levensdomeinen": ["wonen"]}, {"only_levensdomeinen": ["wonen"]}, None, "gooi", True),
        ({"regio": "gooi", "levensdomeinen": ["financien"]}, {"only_levensdomeinen": ["wonen"]}, None, "gooi", False),
    ],
)
def test_filters(fields: dict, opts: dict, gemeente: str | None, regio: str | None, expected: bool) -> None:
    assert available(entry(**fields), KaartOptions(**opts), gemeente, regio) is expected


@pytest.mark.parametrize(
    ("word", "parts"),
    [("paniekklachten", ("paniek", "klachten")), ("wandelgroep", ()), ("kat", ())],
)
def test_compound_splitting(word: str, parts: tuple[str, ...]) -> None:
    analyzer = Analyzer(load_synonyms(), {"paniek", "klachten", "wandelgroep"})
    assert analyzer.split_compound(word) == parts


def test_synonyms_expand_and_are_named_in_the_reason(seeded: Catalogue) -> None:
    out = suggest(["mijn geldzorgen worden me te veel"], seeded, KaartOptions(), gemeente="Hilversum", regio=None)
    assert out[0].service_id == "gooi-schuldhulpverlening"
    assert "geldzorgen" in out[0].reden and not out[0].zwak
    assert out[0].bron == "seed-documenten" and out[0].status == "voorgesteld"


def test_region_comes_from_gemeente_and_other_regions_are_excluded(seeded: Catalogue) -> None:
    out = suggest(["schulden"], seeded, KaartOptions(top_k=10), gemeente="Vught", regio=None)
    assert {s.service_id.split("-")[0] for s in out} <= {"zorgzaam", "landelijk"}
    assert out[0].service_id == "zorgzaam-schuldhulpverlening"


def test_professional_tools_are_not_suggested_to_inwoners(seeded: Catalogue) -> None:
    out = suggest(["kortste wachttijd ggz dashboard"], seeded, KaartOptions(top_k=10), gemeente="Arnhem", regio=None)
    assert "cg-slimverwijzen" not in {s.service_id for s in out}


def test_gap_need_is_weak_not_invented(seeded: Catalogue) -> None:
    out = suggest(["snel iemand kunnen spreken als het 's nachts misgaat"], seeded, KaartOptions(),
                  gemeente="Wageningen", regio="centraal-gelderland", levensdomeinen=["mentaal-welbevinden"])
    assert out and all(s.zwak for s in out)
    assert "Zwakke match" in out[0].reden


def test_need_index_and_empty_needs(seeded: Catalogue) -> None:
    out = suggest(["schulden", "  ", "wandelen"], seeded, KaartOptions(top_k=2), gemeente="Hilversum", regio="gooi")
    assert [s.need_index for s in out] == [0, 0, 2, 2]


def test_stale_flag_uses_assured_date(tmp_path: Path) -> None:
    catalogue = open_catalogue(tmp_path / "db.sqlite3", seed_if_empty=False)
    services = []
    for sid, assured in (("oud", dt.date(2020, 1, 1)), ("vers", dt.date(2025, 12, 1))):
        services.append(Service(
            id=sid, name=f"Schuldhulp {sid}", description="hulp bij schulden", assured_date=assured,
            service_areas=[ServiceArea(id=f"a-{sid}", name="Hilversum")],
            attributes=[attribute(sid, "vg-trefwoord", "schulden")],
        ))
    catalogue.import_services(services, bron="gooi-kaart", region="gooi", fmt="hsds-json", file_name="x", sha256="0")
    out = suggest(["schulden"], catalogue, KaartOptions(today=dt.date(2026, 1, 1), stale_after_days=365),
                  gemeente="Hilversum", regio="gooi")
    flags = {s.service_id: (s.verouderd, s.laatst_gewijzigd) for s in out}
    assert flags == {"oud": (True, dt.date(2020, 1, 1)), "vers": (False, dt.date(2025, 12, 1))}


def test_dense_mode_without_embedder_is_a_clear_error(seeded: Catalogue) -> None:
    with pytest.raises(CatalogueError, match="embeddingmodel"):
        suggest(["schulden"], seeded, KaartOptions(mode="dense"), gemeente=None, regio=None)


@pytest.mark.parametrize("mode", ["dense", "hybrid"])
def test_dense_and_hybrid_modes_rank_with_an_embedder(seeded: Catalogue, fake_embedder, mode: str) -> None:
    out = suggest(["wandelen wandelgroep"], seeded, KaartOptions(mode=mode, top_k=3), gemeente="Hilversum",
                  regio="gooi", embedder=fake_embedder)
    assert "gooi-wandelclubs" in [s.service_id for s in out]
    assert "gelijkenis" in out[0].reden


class FakeLLM:
    name = "fake"
    supports_json_schema = True
    context_tokens = 4096

    def __init__(self, text: str) -> None:
        self.text = text
        self.requests: list[GenerationRequest] = []

    @property
    def model_ref(self) -> ModelRef:
        return ModelRef(backend="fake", name="fake")

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def generate(self, request: GenerationRequest) -> Generation:
        self.requests.append(request)
        return Generation(text=self.text)


@pytest.mark.parametrize(("answer", "moved"), [('{"volgorde": [3, 1, 2]}', True), ("geen json", False)])
def test_llm_rerank_reorders_or_keeps_order(seeded: Catalogue, answer: str, moved: bool) -> None:
    base = suggest(["schulden"], seeded, KaartOptions(top_k=3), gemeente="Hilversum", regio="gooi")
    llm = FakeLLM(answer)
    out = suggest(["schulden"], seeded, KaartOptions(top_k=3, llm_rerank=True, rerank_candidates=3),
                  gemeente="Hilversum", regio="gooi", llm=llm)
    assert len(llm.requests) == 1 and llm.requests[0].json_schema is not None
    expected = [base[2].service_id, base[0].service_id, base[1].service_id] if moved else [s.service_id for s in base]
    assert [s.service_id for s in out] == expected


@pytest.mark.parametrize(
    ("need", "gemeente", "weak"),
    [
        ("ik wil mensen ontmoeten", "Renkum", False),  # short, but every word matched
        ("de zorg voor mijn moeder met dementie wordt me te veel", "Vught", True),  # no such offering
    ],
)
def test_weak_flag(seeded: Catalogue, need: str, gemeente: str, weak: bool) -> None:
    out = suggest([need], seeded, KaartOptions(top_k=1), gemeente=gemeente, regio=None)
    assert out[0].zwak is weak


def test_nothing_is_invented_when_no_word_and_no_domain_matches(seeded: Catalogue) -> None:
    assert suggest(["mantelzorger dementie"], seeded, KaartOptions(), gemeente="Vught", regio=None) == []


def test_invalid_option_from_settings_is_a_dutch_input_error() -> None:
    from core.settings import Settings
    from core.errors import InputError
    from pipeline.stage_options import kaart_options

    with pytest.raises(InputError, match="Ongeldige zoekoptie"):
        kaart_options(Settings(), only_levensdomeinen=["geluk"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hulp bij [PERSOON-4] en [PERSOON-5]", ["hulp"]),
        ("[INWONER] wil schulden regelen", ["schulden", "regelen"]),
        ("post van [LOCATIE-2] openen", ["post", "openen"]),
        ("[PERSOON-4][PERSOON-6]", []),
        ("persoonlijke begeleiding", ["persoonlijke", "begeleiding"]),  # the plain word stays a term
    ],
)
def test_placeholders_and_their_parts_are_never_terms(text: str, expected: list[str]) -> None:
    from pipeline.kaart.text import words

    assert words(text) == expected


def test_a_need_with_placeholders_is_not_matched_on_them(seeded: Catalogue) -> None:
    out = suggest(["Ik heb hulp nodig met [PERSOON-4] en [PERSOON-5] en [PERSOON-6]"], seeded, KaartOptions(),
                  gemeente="Hilversum", regio=None)
    assert all("persoon" not in s.reden.lower() for s in out)
