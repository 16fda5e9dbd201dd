from __future__ import annotations

import datetime as dt

import pytest

from pipeline.case import CaseMetadata, Huisarts, Inwoner, Naaste, Professional
from pipeline.verslag.schema import (
    Afspraak, B1Punt, B1Summary, GgzVerwijzing, GroundingResult, Hulpvraag, Item, ItemCheck, KaartSuggestie,
    Uitkomst, Verslag,
)


@pytest.fixture
def case() -> CaseMetadata:
    return CaseMetadata(
        inwoner=Inwoner(naam="Sanne de Vries", geboortedatum=dt.date(1990, 3, 4), gemeente="Vught"),
        naasten=[Naaste(naam="Eva de Vries", relatie="zus")],
        professionals=[Professional(naam="Anna Bakker", rol="sociaal", organisatie="Wijkteam Vught"),
                       Professional(naam="Ruud Smit", rol="ggz")],
        huisarts=Huisarts(naam="dr. M. Jansen", praktijk="Huisartsenpraktijk Oost"),
        datum_gesprek=dt.date(2026, 11, 20),
        regio="Zorgzaam",
    )


@pytest.fixture
def mapping() -> dict[str, str]:
    return {"[INWONER]": "Sanne", "[PERSOON-1]": "Anna Bakker", "[PERSOON-2]": "Piet Buurman",
            "[ADRES-1]": "Dorpsstraat 1", "[PERSOON-3]": "Eva"}


@pytest.fixture
def verslag() -> Verslag:
    return Verslag(
        hulpvraag=Hulpvraag(tekst="[INWONER] wil weer <rust> in het hoofd", bronnen=[2], status="onderbouwd"),
        ik_wil=[Item(tekst="Weer rust", bronnen=[2], status="onderbouwd"),
                Item(tekst="Naar Parijs verhuizen", bronnen=[2], status="niet_onderbouwd")],
        afspraken=[
            Afspraak(tekst="[PERSOON-1] meldt [INWONER] aan bij het wijkteam", wie="[PERSOON-1]",
                     waar="Wijkteam Vught", wanneer="volgende week", bronnen=[6], status="onderbouwd"),
            Afspraak(tekst="Buurman [PERSOON-2] komt langs op [ADRES-1]", bronnen=[9], status="niet_onderbouwd"),
        ],
        uitkomst=Uitkomst(categorie="sociaal domein", tekst="Ondersteuning via het wijkteam", bronnen=[6],
                          status="onderbouwd"),
        ggz_verwijzing_nodig=GgzVerwijzing(nodig=False, tekst="Geen behandeling nodig", bronnen=[7],
                                           status="onderbouwd"),
        advies_huisarts=Item(tekst="Geen ggz-verwijzing; het wijkteam pakt het op.", bronnen=[6, 7],
                             status="onderbouwd"),
        suggesties=[
            KaartSuggestie(need="hulp bij schulden", need_index=0, service_id="a", naam="Geldzorg Vught",
                           organisatie="Farent", score=0.8, reden="Helpt bij schulden", bron="seed",
                           status="geaccepteerd"),
            KaartSuggestie(need="hulp bij schulden", need_index=0, service_id="b", naam="Buurthuis De Linde",
                           score=0.2, reden="Ontmoeting", bron="seed", status="afgewezen", zwak=True),
        ],
        grounding=GroundingResult(gecontroleerd=7, onderbouwd=5, niet_onderbouwd=2, items=[
            ItemCheck(pad="ik_wil[1]", status="niet_onderbouwd", redenen=["namen komen niet voor: parijs"])]),
    )


@pytest.fixture
def b1() -> B1Summary:
    return B1Summary(inleiding="Het ging over rust.", punten=[B1Punt(tekst="[PERSOON-1] belt u volgende week.")])
