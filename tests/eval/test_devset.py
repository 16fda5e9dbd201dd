"""The synthetic development set: complete, marked synthetic, annotations consistent with the audio gold."""

import json

import pytest

from eval.devset import sample_row
from pipeline.case import load_case
from pipeline.transcript import Transcript
from pipeline.verslag.schema import UITKOMSTEN

from .conftest import DEV

IDS = [f"vg0{i}" for i in range(1, 7)]
REQUIRED = ("hulpvraag", "ik_wil", "ik_kan", "ik_heb_nodig", "afspraken", "regie", "evaluatiemoment",
            "vragen_naar", "uitkomst", "ggz_verwijzing_nodig", "persoonsgegevens", "mag_niet_voorkomen")


def test_index_matches_directories(dev_dataset):
    assert [s.id for s in dev_dataset.samples] == IDS
    assert dev_dataset.synthetic
    assert [sample_row(DEV / i) for i in IDS] == [json.loads(l) for l in (DEV / "samples.jsonl").read_text().splitlines()]


def test_varied_outcomes_and_regions(dev_dataset):
    assert {s.metadata["uitkomst"] for s in dev_dataset.samples} == set(UITKOMSTEN)
    assert len({s.metadata["regio"] for s in dev_dataset.samples}) == 3


@pytest.mark.parametrize("sample_id", IDS)
def test_conversation_is_complete(sample_id):
    d = DEV / sample_id
    transcript = Transcript.model_validate_json((d / "transcript.gold.json").read_text())
    assert 300 <= transcript.duration <= 900, "5 to 15 minutes"
    assert transcript.options["synthetic"] is True
    gold = json.loads((d / "gold.json").read_text())
    assert gold["synthetic"] is True and all(k in gold for k in REQUIRED)
    assert gold["uitkomst"] in UITKOMSTEN
    ids = {s.id for s in transcript.segments}
    for section in ("ik_wil", "ik_kan", "ik_heb_nodig", "afspraken"):
        assert gold[section] or section == "ik_heb_nodig"
        for item in gold[section]:
            assert set(item["bronnen"]) <= ids, (section, item)
    text = transcript.text
    for pii in gold["persoonsgegevens"]:
        assert pii["tekst"] in text, pii["tekst"]
    load_case(d / "case.json")
    assert (d / "audio.ogg").stat().st_size < 2_500_000


def test_total_size_stays_small():
    total = sum(p.stat().st_size for p in DEV.rglob("*") if p.is_file())
    assert total < 15 * 2**20
