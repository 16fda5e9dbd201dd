"""`vg models pull nl-ner-enp` installs the bundled NER from the repository archive (no network)
and `vg models list` shows it as present."""

from __future__ import annotations

from typer.testing import CliRunner

from cli.main import app


def test_pull_and_list_the_bundled_ner(tmp_path, monkeypatch, no_network):
    monkeypatch.setenv("VG_MODELS_DIR", str(tmp_path))
    runner = CliRunner()
    before = runner.invoke(app, ["models", "list"], env={"COLUMNS": "200"})
    assert before.exit_code == 0
    assert "nee" in next(line for line in before.output.splitlines() if "nl-ner-enp" in line)
    pulled = runner.invoke(app, ["models", "pull", "nl-ner-enp"])
    assert pulled.exit_code == 0, pulled.output
    assert (tmp_path / "nl-ner-enp" / "meta.json").is_file()
    after = runner.invoke(app, ["models", "list"], env={"COLUMNS": "200"})
    row = next(line for line in after.output.splitlines() if "nl-ner-enp" in line)
    assert "ja" in row
    assert not no_network
