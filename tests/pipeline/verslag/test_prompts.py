from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import DraftError
from pipeline.verslag.prompts import load_prompt, parse_prompt
from pipeline.verslag.sections import SECTION_NAMES


@pytest.mark.parametrize("name", [*SECTION_NAMES, "system", "repair"])
def test_every_verslag_prompt_has_a_header_and_text(name: str) -> None:
    prompt = load_prompt("verslag", name)
    assert prompt.id == f"verslag/{name}" and prompt.version >= 1 and len(prompt.text) > 40


def test_highest_version_wins_and_a_pinned_version_is_honoured(tmp_path: Path) -> None:
    folder = tmp_path / "verslag"
    folder.mkdir()
    for v in (1, 2):
        (folder / f"x.v{v}.md").write_text(f"---\nid: verslag/x\nversion: {v}\n---\ntekst {v}\n")
    assert load_prompt("verslag", "x", prompts_dir=tmp_path).text == "tekst 2"
    assert load_prompt("verslag", "x", 1, prompts_dir=tmp_path).text == "tekst 1"
    with pytest.raises(DraftError):
        load_prompt("verslag", "x", 3, prompts_dir=tmp_path)


def test_editing_a_prompt_changes_its_version_tag() -> None:
    a = parse_prompt("---\nid: a/b\nversion: 1\n---\nEen\n", "a")
    b = parse_prompt("---\nid: a/b\nversion: 1\n---\nTwee\n", "b")
    assert a.version_tag != b.version_tag and a.version_tag.startswith("v1#")


@pytest.mark.parametrize("raw", ["geen kop", "---\nid: a\n---\ntekst", "---\nversion: x\nid: a\n---\nt"])
def test_malformed_headers_are_refused(raw: str) -> None:
    with pytest.raises(DraftError):
        parse_prompt(raw, "kapot.v1.md")
