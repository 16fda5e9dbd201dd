"""Shared fixtures: small in-memory datasets and verslag builders from gold annotations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.core.dataset import load_jsonl

DEV = Path(__file__).resolve().parents[2] / "eval" / "data" / "dev"


@pytest.fixture(scope="session")
def dev_dataset():
    return load_jsonl(DEV)


def verslag_from_gold(gold: dict):
    """A 'perfect' draft: every gold item copied, all onderbouwd."""
    from pipeline.verslag.schema import Afspraak, Evaluatiemoment, GgzVerwijzing, Item, Regie, Uitkomst, Verslag

    def items(key):
        return [Item(tekst=x["tekst"], bronnen=x.get("bronnen", []), status="onderbouwd") for x in gold[key]]

    return Verslag(
        ik_wil=items("ik_wil"), ik_kan=items("ik_kan"), ik_heb_nodig=items("ik_heb_nodig"),
        afspraken=[Afspraak(**{k: v for k, v in a.items() if k != "bronnen"}, bronnen=a.get("bronnen", []), status="onderbouwd")
                   for a in gold["afspraken"]],
        regie=Regie(tekst=gold["regie"]["tekst"], status="onderbouwd"),
        evaluatiemoment=Evaluatiemoment(tekst=gold["evaluatiemoment"]["tekst"], status="onderbouwd"),
        vragen_naar=Item(tekst=gold["vragen_naar"]["tekst"], status="onderbouwd"),
        uitkomst=Uitkomst(tekst="-", categorie=gold["uitkomst"], status="onderbouwd"),
        ggz_verwijzing_nodig=GgzVerwijzing(tekst="-", nodig=gold["ggz_verwijzing_nodig"], status="onderbouwd"),
    )


def gold_of(sample_id: str) -> dict:
    return json.loads((DEV / sample_id / "gold.json").read_text(encoding="utf-8"))
