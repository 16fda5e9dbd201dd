from __future__ import annotations

import json

from models.llm.fake import FakeLLM
from pipeline.verslag import DraftOptions, summarise_b1
from pipeline.verslag.schema import Afspraak, Hulpvraag, Item, KaartSuggestie, Verslag


def _verslag() -> Verslag:
    return Verslag(
        hulpvraag=Hulpvraag(tekst="Weer rust in het hoofd", bronnen=[2], status="onderbouwd"),
        afspraken=[Afspraak(tekst="Aanmelding bij het wijkteam", bronnen=[6], status="onderbouwd"),
                   Afspraak(tekst="Verhuizen naar Parijs", bronnen=[6], status="niet_onderbouwd")],
        vragen_naar=Item(tekst="Bel het wijkteam", bronnen=[8], status="onderbouwd"),
        suggesties=[KaartSuggestie(need="schulden", need_index=0, service_id="s1", naam="Geldzorg", score=0.9,
                                   reden="past", bron="demo", status="geaccepteerd"),
                    KaartSuggestie(need="schulden", need_index=0, service_id="s2", naam="Afgewezen", score=0.5,
                                   reden="past", bron="demo", status="afgewezen")],
    )


def test_summary_comes_from_the_verslag_not_the_transcript() -> None:
    answer = json.dumps({"inleiding": "U wilt weer rust.", "punten": ["U wordt aangemeld bij het wijkteam."],
                         "vragen": "Bel het wijkteam."})
    llm = FakeLLM({"b1": answer})
    summary = summarise_b1(_verslag(), llm, DraftOptions())
    assert summary.bron == "llm" and summary.punten[0].tekst == "U wordt aangemeld bij het wijkteam."
    assert summary.prompt_version.startswith("v1#") and summary.model.backend == "fake"
    prompt = llm.requests[0].messages[-1].content
    assert "Aanmelding bij het wijkteam" in prompt and "Geldzorg" in prompt
    assert "Parijs" not in prompt and "Afgewezen" not in prompt  # unsupported and rejected items stay out


def test_unsupported_items_can_be_included_by_option() -> None:
    llm = FakeLLM()
    summarise_b1(_verslag(), llm, DraftOptions(b1_include_unsupported=True))
    assert "Parijs" in llm.requests[0].messages[-1].content


def test_invalid_model_output_falls_back_to_the_template() -> None:
    llm = FakeLLM({"b1": "Hier is uw samenvatting!"})
    summary = summarise_b1(_verslag(), llm, DraftOptions(max_retries=1))
    assert llm.calls_for("b1") == 2
    assert summary.bron == "sjabloon" and summary.diagnostiek
    assert [p.bron for p in summary.punten] == ["afspraken[0]", "suggesties[0]"]
    assert summary.vragen == "Bel het wijkteam"


def test_empty_model_answer_falls_back_to_the_template() -> None:
    summary = summarise_b1(_verslag(), FakeLLM(), DraftOptions())  # minimal JSON: empty strings and lists
    assert summary.bron == "sjabloon" and "rust" in summary.inleiding


def test_nothing_to_summarise_makes_no_model_call() -> None:
    llm = FakeLLM()
    summary = summarise_b1(Verslag(), llm, DraftOptions())
    assert llm.requests == [] and summary.bron == "sjabloon" and summary.punten == []
