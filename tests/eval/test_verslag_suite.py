import pytest

from eval.core.task import Task, run_task
from eval.suites.verslag import VerslagSuiteOptions, letter_answers, verslag_scorers
from pipeline.verslag.schema import Item, Verslag

from .conftest import gold_of, verslag_from_gold


def run_with(dev_dataset, make_verslag, ids=("vg01", "vg02")):
    def solver(state):
        state.output["verslag"] = make_verslag(gold_of(state.sample.id))
    return run_task(Task("verslag", dev_dataset.filter(list(ids)), [solver], verslag_scorers(VerslagSuiteOptions())))


def test_a_draft_equal_to_gold_scores_perfectly(dev_dataset):
    m = run_with(dev_dataset, verslag_from_gold).metrics
    for name in ("recall_ik_wil", "recall_ik_kan", "recall_ik_heb_nodig", "recall_afspraken", "uitkomst_juist",
                 "ggz_verwijzing_juist", "schema_geldig", "brief_volledig"):
        assert m[f"verslag/{name}"].value == 1.0, name
    for name in ("niet_onderbouwd", "zonder_steun_goud", "verboden_uitspraken", "ik_wil_zorgaanbod"):
        assert m[f"verslag/{name}"].value == 0.0, name


def test_an_empty_draft_misses_everything(dev_dataset):
    m = run_with(dev_dataset, lambda gold: Verslag()).metrics
    assert m["verslag/recall_ik_wil"].value == 0.0
    assert m["verslag/uitkomst_juist"].value == 0.0
    assert m["verslag/brief_volledig"].value == 0.0
    assert m["verslag/niet_onderbouwd"].value is None  # nothing generated: no share


def test_hallucinations_forbidden_statements_and_care_offers_are_counted(dev_dataset):
    def bad(gold):
        v = verslag_from_gold(gold)
        return v.model_copy(update={
            "ik_wil": [Item(tekst="Ik wil een behandeling bij de ggz", status="onderbouwd")],
            "ik_kan": v.ik_kan + [Item(tekst="[INWONER] heeft een depressie", status="niet_onderbouwd"),
                                  Item(tekst="Vliegt volgend jaar naar Australië voor een wereldreis", status="niet_onderbouwd")],
        })

    result = run_with(dev_dataset, bad, ids=("vg01",))
    m = result.metrics
    assert m["verslag/ik_wil_zorgaanbod"].value == 1.0
    assert m["verslag/recall_ik_wil"].value < 0.5
    assert m["verslag/verboden_uitspraken"].value == pytest.approx(1 / 5)
    assert m["verslag/niet_onderbouwd"].value > 0
    unsupported = result.samples[0].scores["verslag/zonder_steun_goud"].details["zonder_steun"]
    assert any("Australië" in u for u in unsupported) and not any("depressie" in u for u in unsupported[:0])


def test_letter_answers_each_question_separately(dev_dataset):
    v = verslag_from_gold(gold_of("vg03"))
    assert all(letter_answers(v).values())
    assert letter_answers(v.model_copy(update={"regie": None}))["regie"] is False
    assert letter_answers(v.model_copy(update={"vragen_naar": None}))["vragen"] is False


def test_texts_are_hidden_on_non_synthetic_data(dev_dataset):
    real = dev_dataset.filter(["vg01"])
    real = real.model_copy(update={"samples": [s.model_copy(update={"metadata": {"synthetic": False}}) for s in real.samples]})

    def solver(state):
        state.output["verslag"] = Verslag(ik_wil=[Item(tekst="Ik wil therapie", status="onderbouwd")])

    result = run_task(Task("verslag", real, [solver], verslag_scorers(VerslagSuiteOptions())))
    dumped = result.model_dump_json()
    assert "therapie'" not in dumped and "rust in mijn hoofd" not in dumped
    assert "goud ik_wil[0]" in dumped and "ik_wil[0] (therapie)" in dumped
