"""The bundled spaCy NER (nl-ner-enp): span refinement, errors, the archive install with its
pinned SHA-256, and the real model on a few sentences."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from core.errors import DeidentificationError, ModelError
from models.assembly import assemble, is_complete
from models.registry import bundled_models
from pipeline.deid.recognizers.spacy_ner import SpacyNerRecognizer, label_scores, load_spacy_ner, refine


def _tokens(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for word in text.split(" "):
        out.append((pos, pos + len(word), word))
        pos += len(word) + 1
    return out


@pytest.mark.parametrize("entity,pieces", [
    ("Anouk Bakker van de schuldhulp", ["Anouk Bakker"]),
    ("Emma op de Kerkstraat", ["Emma", "Kerkstraat"]),
    ("Marco van der Linden", ["Marco van der Linden"]),
    ("van Dijk", ["Dijk"]),  # a particle at the edge goes; the name stays redacted
    ("anouk bakker van de schuldhulp", ["anouk bakker van de schuldhulp"]),  # lower-case text: kept whole
    ("Sanne ,", ["Sanne"]),
])
def test_refine(entity, pieces):
    assert [entity[s:e] for s, e in refine(_tokens(entity))] == pieces


def test_missing_model_says_what_to_do(tmp_path):
    with pytest.raises(DeidentificationError) as err:
        load_spacy_ner(tmp_path / "nl-ner-enp")
    assert "vg models pull nl-ner-enp" in err.value.hint


def test_tampered_archive_is_refused(tmp_path):
    model = bundled_models()["nl-ner-enp"]
    bad = tmp_path / "bad.tar.gz"
    data = bytearray(model.archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    bad.write_bytes(bytes(data))
    tampered = replace(model, extra={"archive": str(bad)})
    with pytest.raises(ModelError):
        assemble(tampered, tmp_path / "models")
    assert not (tmp_path / "models" / "nl-ner-enp").exists()


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The archive unpacked by the same code as `vg models pull`, into a fresh models dir."""
    models_dir = tmp_path_factory.mktemp("models")
    model = bundled_models()["nl-ner-enp"]
    target = assemble(model, models_dir)
    assert is_complete(model, models_dir)
    yield target
    shutil.rmtree(models_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def recognizer(installed):
    return SpacyNerRecognizer(load_spacy_ner(installed))


@pytest.mark.slow
def test_pull_installs_a_loadable_model(installed):
    nlp = load_spacy_ner(installed)
    assert set(nlp.get_pipe("ner").labels) == {"PER", "LOC", "ORG"}
    scores = label_scores(nlp)
    assert all(0.5 <= s <= 0.95 for s in scores.values())


@pytest.mark.slow
@pytest.mark.parametrize("text,name,entity", [
    ("Gisteren heb ik met Pieter Janssen gesproken over de verhuizing.", "Pieter Janssen", "PERSOON"),
    ("Ze is vorig jaar met haar kinderen naar Amsterdam verhuisd.", "Amsterdam", "LOCATIE"),
])
def test_real_model_finds_names(recognizer, text, name, entity):
    results = recognizer.analyze(text, None)
    assert any(text[r.start : r.end] == name and r.entity_type == entity for r in results)
    assert all(r.recognition_metadata["recognizer_name"] == "SpacyNerRecognizer" for r in results)


@pytest.mark.slow
@pytest.mark.parametrize("text", ["", "   ", "ik gebruik sertraline en soms oxazepam"])
def test_real_model_no_names(recognizer, text):
    assert [text[r.start : r.end] for r in recognizer.analyze(text, None) if r.entity_type == "PERSOON"] == []
