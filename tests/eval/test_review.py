import csv

import pytest

from eval.review import RUBRIC, export_sheets, import_sheets, summarise
from eval.review.agreement import krippendorff_alpha, mean_weighted_kappa
from core.errors import EvaluationError
from pipeline.verslag.schema import Item, Verslag

N = None
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the 4-observer, 12-unit example.
OBSERVERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


@pytest.mark.parametrize(("metric", "expected"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)])
def test_alpha_matches_published_example(metric, expected):
    units = {u: [obs[u] for obs in OBSERVERS] for u in range(12)}
    assert krippendorff_alpha(units, metric) == pytest.approx(expected, abs=5e-4)


def test_alpha_undefined_without_variation_or_pairs():
    assert krippendorff_alpha({1: [3, 3], 2: [3, 3]}) is None
    assert krippendorff_alpha({1: [3, None], 2: [4]}) is None


def test_weighted_kappa_perfect_and_disagreeing():
    same = {"a": {1: 1, 2: 3, 3: 5}, "b": {1: 1, 2: 3, 3: 5}}
    assert mean_weighted_kappa(same, (1, 2, 3, 4, 5)) == pytest.approx(1.0)
    opposite = {"a": {1: 1, 2: 3, 3: 5}, "b": {1: 5, 2: 3, 3: 1}}
    assert mean_weighted_kappa(opposite, (1, 2, 3, 4, 5)) < 0


def fill(path, scores, delimiter=";"):
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    for row, score in zip(rows[1:], scores):
        row[4] = score
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)


def test_export_fill_import_and_summarise(tmp_path):
    drafts = []
    for name in ("vg01", "vg02"):
        d = tmp_path / name
        d.mkdir()
        (d / "verslag.json").write_text(Verslag(ik_wil=[Item(tekst="Ik wil rust", status="niet_onderbouwd")]).model_dump_json())
        drafts.append(d)
    out = tmp_path / "sheets"
    written = export_sheets(drafts, out, ["r1", "r2"])
    assert len([p for p in written if p.suffix == ".csv"]) == 4
    assert "niet onderbouwd" in (out / "vg01.html").read_text()
    k = len(RUBRIC)
    fill(out / "vg01__r1.csv", ["4"] * k)
    fill(out / "vg01__r2.csv", ["4"] * (k - 1) + [""])          # one left blank: allowed
    fill(out / "vg02__r1.csv", ["2"] * k, delimiter=",")          # a spreadsheet saved with commas
    fill(out / "vg02__r2.csv", ["1"] * k)
    summary = summarise(import_sheets([out]))
    assert (summary.n_raters, summary.n_concepts, summary.n_sheets) == (2, 2, 4)
    juist = next(i for i in summary.items if i.item == "juist")
    assert juist.mean == pytest.approx(2.75) and juist.n == 4
    assert summary.alpha_overall is not None and summary.alpha_overall > 0.5


@pytest.mark.parametrize("score", ["6", "goed", "3.5"])
def test_invalid_scores_are_refused(tmp_path, score):
    d = tmp_path / "vg01"
    d.mkdir()
    (d / "verslag.json").write_text(Verslag().model_dump_json())
    export_sheets([d], tmp_path / "s", ["r1"])
    sheet = tmp_path / "s" / "vg01__r1.csv"
    fill(sheet, [score])
    with pytest.raises(EvaluationError, match="regel 2"):
        import_sheets([sheet])


def test_review_cli_export_and_import(tmp_path):
    from typer.testing import CliRunner

    from cli.main import app

    d = tmp_path / "vg01"
    d.mkdir()
    (d / "verslag.json").write_text(Verslag().model_dump_json())
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "review", "export", str(d), "--rater", "a", "--rater", "b", "--out", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    for rater, score in (("a", "4"), ("b", "5")):
        fill(tmp_path / "s" / f"vg01__{rater}.csv", [score] * len(RUBRIC))
    result = runner.invoke(app, ["eval", "review", "import", str(tmp_path / "s"), "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert "juist" in result.output and (tmp_path / "r" / "review.json").is_file()
    fill(tmp_path / "s" / "vg01__a.csv", ["9"])
    result = runner.invoke(app, ["eval", "review", "import", str(tmp_path / "s")])
    assert result.exit_code == 8 and "geen geheel getal" in result.output
