"""The bundled Qwen2.5-Coder-1.5B GGUF drafts a verslag of a short transcript (llama.cpp, CPU).

Quality is not asserted here (the evaluation harness measures it); what must hold with a real model:
every section ran with constrained decoding, the result validates, bronnen are segment ids, the
grounding check ran, provenance is recorded, and the B1 summary and the letter render.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.backends import build_llm
from pipeline.case import CaseMetadata, Inwoner
from core.settings import Settings
from pipeline.render import RenderOptions, render_outputs
from pipeline.transcript import PseudonymisedTranscript
from pipeline.verslag import DraftOptions, Verslag, draft_verslag, summarise_b1
from pipeline.verslag.sections import SECTION_NAMES

pytestmark = pytest.mark.slow


def test_real_model_drafts_a_grounded_verslag(short_transcript: PseudonymisedTranscript, tmp_path: Path) -> None:
    llm = build_llm(Settings(llm_backend="llama-cpp", llm_context_tokens=4096))
    # Three sections keep the test inside the CI budget; bench/bench_llm.py drafts all of them.
    options = DraftOptions(mode="sections", sections=["hulpvraag", "ik_wil", "afspraken"], max_tokens_per_section=128,
                           max_retries=1)  # the section-by-section mode; test_evidence_real runs the default
    verslag = draft_verslag(short_transcript, llm, options)

    assert Verslag.model_validate_json(verslag.model_dump_json()) == verslag
    info = verslag.draft
    assert info.model.name == "qwen2.5-coder-1.5b-instruct" and info.model.sha256
    assert [s.sectie for s in info.secties] == list(SECTION_NAMES)
    ran = [s for s in info.secties if s.sectie in options.sections]
    assert all(s.status in ("ok", "leeg_na_fouten") and s.pogingen >= 1 for s in ran)
    assert all(s.completion_tokens > 0 and s.seconds > 0 for s in ran)
    assert all(s.status == "overgeslagen" for s in info.secties if s not in ran)
    ids = {s.id for s in short_transcript.segments}
    items = list(verslag.iter_items())
    assert verslag.grounding.gecontroleerd == len(items)
    for path, item in items:
        assert item.status in ("onderbouwd", "niet_onderbouwd"), path
        if item.status == "onderbouwd":
            assert item.bronnen and set(item.bronnen) <= ids, path

    b1 = summarise_b1(verslag, llm, options)
    assert b1.bron in ("llm", "sjabloon") and b1.prompt_version
    paths = render_outputs(verslag, b1, CaseMetadata(inwoner=Inwoner(naam="Sanne de Vries")), {}, tmp_path,
                           RenderOptions())
    assert paths["advies-huisarts.pdf"].read_bytes().startswith(b"%PDF")
    print("\nsections:", [(s.sectie, s.status, round(s.seconds, 1), s.completion_tokens) for s in info.secties])


def test_real_model_evidence_mode_on_a_short_transcript(short_transcript: PseudonymisedTranscript) -> None:
    """The 0.5B model runs every evidence-mode step with constrained output on eight turns (< 2 min)."""
    llm = build_llm(Settings(llm_backend="llama-cpp", llm_model="qwen2.5-coder-0.5b-instruct", llm_context_tokens=2048))
    # Three sections and two items each keep the writing step short (CI budget).
    options = DraftOptions(mode="evidence", evidence_labeller="cues+llm", max_retries=1,
                           sections=["ik_wil", "afspraken", "uitkomst"], max_items_per_section=2)
    verslag = draft_verslag(short_transcript, llm, options)

    assert Verslag.model_validate_json(verslag.model_dump_json()) == verslag
    info = verslag.draft
    assert info.modus == "evidence" and info.model.sha256
    steps = {s.stap: s for s in info.stappen}
    assert steps["bewijs"].verzoeken >= 1 and steps["bewijs"].completion_tokens > 0 and not steps["bewijs"].fouten
    assert steps["schrijven"].verzoeken >= 1 and steps["schrijven"].completion_tokens > 0
    assert 2 in info.bewijs["ik_wil"] and verslag.ik_wil  # the cues find the inwoner's "Ik wil ..."
    ids = {s.id for s in short_transcript.segments}
    assert set(info.bewijs) and all(set(v) <= ids for v in info.bewijs.values())
    for path, item in verslag.iter_items():
        assert item.bronnen and set(item.bronnen) <= ids, path
        if path != "advies_huisarts":
            assert len(item.bronnen) <= 4, path
    print("\nsteps:", [(s.stap, s.verzoeken, s.prompt_tokens, s.completion_tokens, s.seconds) for s in info.stappen])
