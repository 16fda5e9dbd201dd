"""The real engine (Presidio + Deduce + hunspell) on real inputs. Builds the engine once; if
Deduce's lookup structures are not cached yet this takes ~80 s more (``vg models warmup``)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from eval.pii.dataset import DEFAULT_CASE, load_examples
from eval.pii.run import ZERO_LEAK_TYPES, evaluate
from pipeline.case import load_case
from pipeline.deid import DeidOptions, build_engine, deidentify, deidentify_text, reidentify
from core.errors import DeidentificationError
from pipeline.transcript import Segment, Transcript, TranscriptSource

pytestmark = pytest.mark.slow


class _NoNetwork(Exception):
    pass


@pytest.fixture(scope="module")
def engine():
    """Built with every outgoing connection refused: proves the engine is offline."""
    mp = pytest.MonkeyPatch()

    def refuse(*args, **kwargs):
        raise _NoNetwork("network use during de-identification")

    mp.setattr(socket.socket, "connect", refuse)
    mp.setattr(socket.socket, "connect_ex", refuse)
    mp.setattr(socket, "create_connection", refuse)
    try:
        yield build_engine(DeidOptions())
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def case():
    return load_case(DEFAULT_CASE)


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise _NoNetwork("network use during de-identification")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _transcript(lines):
    segments = [Segment(id=i, start=i * 5.0, end=i * 5.0 + 4, speaker=spk, role=role, text=text)
                for i, (spk, role, text) in enumerate(lines, start=1)]
    return Transcript(duration=len(lines) * 5.0, segments=segments,
                      source=TranscriptSource(kind="text", filename="t.txt", sha256="0" * 64),
                      speakers={"SPREKER_2": "ggz"})


def test_transcript_roles_consistency_and_reidentification(engine, case, no_network):
    transcript = _transcript([
        ("SPREKER_1", "inwoner", "Ik ben Sandra de Wit, mijn BSN is 171973069 en mijn dochter Emma is twaalf."),
        ("SPREKER_2", None, "Dank je Sandra. Bel me op nul zes twaalf vierendertig zesenvijftig achtenzeventig."),
        ("Kees", None, "Emma en ik wonen op de Kerkstraat 14, 5261 AB Vught. Reinier van Arkel belde."),
    ])
    result = deidentify(transcript, case, engine, DeidOptions())
    pseudo = result.pseudonymised
    text = pseudo.text
    for secret in ("Sandra", "171973069", "Emma", "Kerkstraat", "5261", "twaalf vierendertig"):
        assert secret not in text
    assert "Reinier van Arkel" in text  # allow-listed organisation survives
    assert [s.speaker for s in pseudo.segments] == ["[INWONER]", "[PROFESSIONAL-GGZ]", "[NAASTE-1]"]
    assert text.count("[INWONER]") == 2
    emma = {e.placeholder for e in pseudo.entities if e.placeholder.startswith("[PERSOON")}
    assert len(emma) == 1  # Emma twice -> one placeholder
    assert reidentify(text, result.mapping).count("Emma") == 2
    dumped = pseudo.model_dump_json()
    assert "Sandra" not in dumped and "171973069" not in dumped


@pytest.mark.parametrize("text,kept", [
    ("Ik slik sertraline en quetiapine sinds maart.", ["sertraline", "quetiapine"]),
    ("Via Farent en MEE kwam ik bij Welzijn op recept en het wijkteam.", ["Farent", "MEE", "Welzijn op recept", "wijkteam"]),
    ("Mijn man is bakker en we gingen naar de molen.", ["bakker", "de molen"]),
])
def test_negatives_survive(engine, case, no_network, text, kept):
    out = deidentify_text(text, case, engine).text
    for word in kept:
        assert word in out


def test_region_allow_list_is_configurable(case, tmp_path, no_network):
    conf = tmp_path / "nl.yaml"
    conf.write_text(json.dumps({"recognizers": ["name_context"], "allow_list": {"default": ["Kwintes"]}}))
    eng = build_engine(DeidOptions(config_path=conf))
    out = deidentify_text("Ik ging met mevrouw Kwintes en mevrouw Bolderbast.", case, eng).text
    assert "Kwintes" in out and "Bolderbast" not in out


def test_unknown_recognizer_is_a_clear_error():
    with pytest.raises(DeidentificationError, match="Onbekende recognizer"):
        build_engine(DeidOptions(recognizers=["deduce", "telepathy"]))


def test_evaluation_targets(engine, case, no_network):
    """Real measurement on eval/data/pii: if it fails, improve the recognizers, not the set."""
    scores = evaluate(load_examples(), engine, case)
    for t in ZERO_LEAK_TYPES:
        assert scores.gold_tokens[t] > 0
        assert scores.leak_rate(t) == 0.0, t
    assert scores.per_type["PERSOON"].recall >= 0.97
    assert scores.redaction.precision >= 0.9


DEMO = load_case(Path(__file__).resolve().parents[3] / "samples" / "vg-demo" / "case.json")


def test_demo_case_roles_institutions_places(engine, no_network):
    """The findings on samples/vg-demo: a shared surname, e-mail with a CASE name, the practice,
    "'s-Hertogenbosch"."""
    transcript = _transcript([
        ("SPREKER_3", None, "En ik ben Marja de Groot, de moeder van Sanne."),
        ("Marja de Groot", None, "Mevrouw De Groot, dat ben ik."),
        ("SPREKER_2", "inwoner", "Dat is sanne.degroot@voorbeeld.nl, of kijk op www.sannedegroot.nl."),
        ("SPREKER_4", "ggz", "Ik ben POH-ggz bij huisartsenpraktijk De Linde, de praktijk van dokter Van Dijk."),
        ("SPREKER_1", "sociaal", "Ik werk bij het wijkteam in 's-Hertogenbosch, en Sanne woont in den bosch."),
    ])
    result = deidentify(transcript, DEMO, engine, DeidOptions())
    texts = [s.text for s in result.pseudonymised.segments]
    assert texts[0] == "En ik ben [NAASTE-1], de moeder van [INWONER]."
    assert result.pseudonymised.segments[1].speaker == "[NAASTE-1]"
    assert "[INWONER]" not in texts[1] and "[NAASTE-1]" not in texts[1] and "[PERSOON-" in texts[1]
    assert texts[2] == "Dat is [EMAIL-1], of kijk op [URL-1]."
    assert "[INSTELLING-1]" in texts[3] and "De Linde" not in texts[3] and "dokter [HUISARTS]" in texts[3]
    assert result.mapping["[INSTELLING-1]"] == "Huisartsenpraktijk De Linde"
    assert "wijkteam" in texts[4] and "'[" not in texts[4] and "Hertogenbosch" not in texts[4] and "den bosch" not in texts[4]
    assert reidentify(texts[2], result.mapping) == transcript.segments[2].text


def test_heldout_set(engine, no_network):
    """The held-out set written before the fixes (eval/data/pii/vg-pii-nl-heldout.jsonl)."""
    from eval.pii.dataset import DATA_DIR

    scores = evaluate(load_examples(DATA_DIR / "vg-pii-nl-heldout.jsonl"), engine, load_case(DATA_DIR / "case-heldout.json"))
    for t in ("EMAIL", "IBAN"):
        assert scores.leak_rate(t) == 0.0, t
    assert scores.per_type["PERSOON"].recall >= 0.97
    assert scores.redaction.precision >= 0.9
    assert scores.negative_redacted == 0
