import json

import pytest

from eval.core.criteria import Criterion, evaluate_criteria, load_criteria
from eval.core.log import LOG_VERSION, RunConfig, new_log, read_log, write_log
from eval.core.scorer import Score, scorer
from eval.core.task import Task, run_task
from core.errors import EvaluationError, TranscriptionError


@scorer(name="demo/len", aggregate="mean", description="length of the output")
def length():
    def score(state):
        return Score(value=len(state.output["text"]), explanation="lengte")
    return score


def solver(state):
    if state.sample.id == "kapot":
        raise TranscriptionError("Geen spraak herkend.", hint="Controleer de opname.")
    state.output["text"] = state.sample.input


def make_task(dev_dataset):
    from eval.core.dataset import Sample

    samples = [Sample(id=i, input=t) for i, t in (("a", "xx"), ("b", "xxxx"), ("kapot", ""))]
    ds = dev_dataset.model_copy(update={"samples": samples})
    return Task(name="demo", dataset=ds, solver=[solver], scorer=[length()])


def test_run_task_scores_aggregates_and_keeps_failed_samples(dev_dataset):
    result = run_task(make_task(dev_dataset))
    assert result.metrics["demo/len"].value == 3.0
    assert result.errors == 1
    failed = next(s for s in result.samples if s.id == "kapot")
    assert failed.error.startswith("TranscriptionError: Geen spraak herkend.") and not failed.scores


def test_log_roundtrip_records_revision_packages_machine(tmp_path, dev_dataset):
    log = new_log(RunConfig(suites=["demo"], data={}, criteria_file="x", settings={"vault_key": "***"}))
    log.tasks.append(run_task(make_task(dev_dataset)))
    write_log(log, tmp_path)
    again = read_log(tmp_path)
    assert again.version == LOG_VERSION and again.tasks[0].metrics["demo/len"].value == 3.0
    assert again.revision.commit and again.revision.dirty in (True, False)
    assert again.packages["python"] and again.machine.cpu_count


def test_log_of_another_version_is_refused(tmp_path):
    (tmp_path / "results.json").write_text(json.dumps({"version": LOG_VERSION + 1}))
    with pytest.raises(EvaluationError, match="schemaversie"):
        read_log(tmp_path)


def test_default_criteria_have_rationales():
    criteria = load_criteria()
    assert len(criteria) >= 15
    assert all(len(c.rationale) > 40 for c in criteria)
    assert {c.task for c in criteria} >= {"asr", "pii", "verslag", "kaart", "e2e"}


@pytest.mark.parametrize(("op", "threshold", "status"), [
    ("<=", 3.0, "geslaagd"), ("<", 3.0, "gezakt"), (">=", 3.5, "gezakt"), (">", 2.0, "geslaagd"),
])
def test_criteria_statuses(dev_dataset, op, threshold, status):
    result = run_task(make_task(dev_dataset))
    c = Criterion(id="x", task="demo", metric="demo/len", title="t", op=op, threshold=threshold, rationale="r")
    assert evaluate_criteria([c], [result])[0].status == status


def test_criteria_not_measured_versus_failed_without_value(dev_dataset):
    result = run_task(make_task(dev_dataset))
    absent = Criterion(id="a", task="andere", metric="m", title="t", op="<=", threshold=1, rationale="r")
    no_value = Criterion(id="b", task="demo", metric="demo/bestaat_niet", title="t", op="<=", threshold=1, rationale="r")
    statuses = [r.status for r in evaluate_criteria([absent, no_value], [result])]
    assert statuses == ["niet gemeten", "gezakt"]


def test_malformed_criteria_file(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text('[[criterion]]\nid = "x"\nop = "~"\n')
    with pytest.raises(EvaluationError):
        load_criteria(bad)
