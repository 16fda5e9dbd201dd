import json

import pytest

from eval.core.dataset import load_jsonl
from core.errors import EvaluationError


def write(tmp_path, lines):
    (tmp_path / "samples.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_loads_samples_and_moves_unknown_keys_to_metadata(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    ds = load_jsonl(write(tmp_path, [json.dumps({"id": "a", "input": "a.txt", "regio": "Zorgzaam", "metadata": {"synthetic": True}})]))
    assert ds.samples[0].metadata == {"regio": "Zorgzaam", "synthetic": True}
    assert ds.path("a.txt").read_text() == "x"
    assert ds.synthetic


@pytest.mark.parametrize("lines", [
    ["{not json"],
    [json.dumps({"input": "x"})],                    # no id
    [json.dumps({"id": "a"}), json.dumps({"id": "a"})],  # duplicate
    [json.dumps([1, 2])],
    [""],                                              # empty
])
def test_bad_files_give_dutch_errors(tmp_path, lines):
    with pytest.raises(EvaluationError):
        load_jsonl(write(tmp_path, lines))


def test_missing_file_referenced_by_a_sample(tmp_path):
    ds = load_jsonl(write(tmp_path, [json.dumps({"id": "a", "input": "weg.ogg"})]))
    with pytest.raises(EvaluationError, match="ontbreekt"):
        ds.path("weg.ogg")
