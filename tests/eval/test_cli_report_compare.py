"""`vg eval run/compare` through the CLI, with the fake ASR backend chosen by --config."""

import json
import re

from typer.testing import CliRunner

from cli.main import app
from eval.core.log import read_log

from .conftest import DEV

runner = CliRunner()


def one_sample_dataset(tmp_path):
    row = json.loads((DEV / "samples.jsonl").read_text().splitlines()[5])  # vg06, the shortest
    for key in ("input", "target"):
        row[key] = str(DEV / row[key])
    row["files"] = {k: str(DEV / v) for k, v in row["files"].items()}
    data = tmp_path / "data"
    data.mkdir()
    (data / "samples.jsonl").write_text(json.dumps(row) + "\n")
    return data


def config(tmp_path, label):
    path = tmp_path / f"{label}.toml"
    path.write_text(f'label = "{label}"\n[settings]\nasr_backend = "fake"\n[suites.asr]\nchannels = "mix"\n')
    return path


def lenient_criteria(tmp_path):
    path = tmp_path / "criteria.toml"
    path.write_text('[[criterion]]\nid = "asr-rtf"\ntask = "asr"\nmetric = "asr/rtf"\ntitle = "snel"\nop = "<="\n'
                    'threshold = 10.0\nrationale = "test"\n')
    return path


def test_run_fails_on_a_criterion_and_writes_log_and_self_contained_report(tmp_path):
    out = tmp_path / "run"
    result = runner.invoke(app, ["eval", "run", "--suite", "asr", "--data", str(one_sample_dataset(tmp_path)),
                                 "--config", str(config(tmp_path, "a")), "--out", str(out)])
    assert result.exit_code == 1, result.output
    log = read_log(out)
    assert log.status == "failed" and log.config.options["label"] == "a"
    assert log.config.models[0].backend == "fake"
    assert log.tasks[0].metrics["asr/wer"].value > 0.9   # the fake says one fixed sentence
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Niet geschikt voor gebruik" in html and "synthetische data" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)  # no external assets


def test_run_passes_with_lenient_criteria_and_compare_shows_both(tmp_path):
    data = one_sample_dataset(tmp_path)
    outs = []
    for label in ("a", "b"):
        out = tmp_path / label
        result = runner.invoke(app, ["eval", "run", "--suite", "asr", "--data", str(data), "--config",
                                     str(config(tmp_path, label)), "--criteria", str(lenient_criteria(tmp_path)), "--out", str(out)])
        assert result.exit_code == 0, result.output
        outs.append(out)
    result = runner.invoke(app, ["eval", "compare", str(outs[0]), str(outs[1])])
    assert result.exit_code == 0, result.output
    assert "opties.label" in result.output and "asr/wer" in result.output


def test_unknown_suite_and_missing_data_are_clear_errors(tmp_path):
    result = runner.invoke(app, ["eval", "run", "--suite", "spelling", "--out", str(tmp_path / "x")])
    assert result.exit_code == 8 and "Onbekende suite" in result.output
    result = runner.invoke(app, ["eval", "run", "--suite", "asr", "--data", str(tmp_path), "--out", str(tmp_path / "y")])
    assert result.exit_code == 8 and "samples.jsonl" in result.output
