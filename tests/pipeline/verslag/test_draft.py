"""Control flow of the drafting stage with the scripted FakeLLM."""

from __future__ import annotations

import json

import pytest

from models.llm.fake import FakeLLM
from core.errors import DraftError
from pipeline.transcript import PseudonymisedTranscript, Segment, Transcript, TranscriptSource
from pipeline.verslag import DraftOptions, Verslag, draft_verslag
from pipeline.verslag.sections import SECTION_NAMES

GOOD_IK_WIL = json.dumps({"items": [{"tekst": "Weer rust in mijn hoofd", "bronnen": [2]}]})
GOOD_AFSPRAKEN = json.dumps({"afspraken": [{
    "tekst": "[PERSOON-2] meldt [INWONER] volgende week aan bij de schuldhulpverlening van het wijkteam",
    "wie": "[PERSOON-2]", "wat": "aanmelden", "waar": "wijkteam", "wanneer": "volgende week",
    "ondersteuning_naam": "schuldhulpverlening", "ondersteuning_vorm": None, "bronnen": [6]}]})


def test_raw_transcript_is_refused_at_the_type_level() -> None:
    raw = Transcript(duration=1.0, segments=[Segment(id=1, start=0, end=1, text="Jan de Vries")],
                     source=TranscriptSource(kind="text", filename="x.txt", sha256="0" * 64))
    llm = FakeLLM()
    for bad in (raw, raw.text, raw.model_dump()):
        with pytest.raises(TypeError):
            draft_verslag(bad, llm, DraftOptions(mode="sections"))  # type: ignore[arg-type]
    assert llm.requests == []


def test_empty_transcript_is_a_clear_error() -> None:
    with pytest.raises(DraftError):
        draft_verslag(PseudonymisedTranscript(duration=0, segments=[]), FakeLLM(), DraftOptions(mode="sections"))


def test_every_section_is_one_request_and_everything_is_recorded(short_transcript: PseudonymisedTranscript) -> None:
    llm = FakeLLM({"ik_wil": GOOD_IK_WIL, "afspraken": GOOD_AFSPRAKEN})
    verslag = draft_verslag(short_transcript, llm, DraftOptions(mode="sections"))
    assert [r.task for r in llm.requests] == list(SECTION_NAMES)
    assert verslag.ik_wil[0].tekst == "Weer rust in mijn hoofd" and verslag.ik_wil[0].bronnen == [2]
    assert verslag.afspraken[0].waar == "wijkteam"
    info = verslag.draft
    assert info is not None and info.model.backend == "fake"
    assert set(info.prompt_versions) >= {f"verslag/{n}" for n in SECTION_NAMES} | {"verslag/system"}
    assert all(v.startswith("v1#") for v in info.prompt_versions.values())
    assert verslag.prompt_versions == info.prompt_versions
    assert [s.status for s in info.secties] == ["ok"] * len(SECTION_NAMES)
    assert all(s.segmenten_in_prompt == list(range(1, 9)) for s in info.secties)
    assert info.lange_context == "volledig" and info.options["max_retries"] == 2
    # Grounding ran: both scripted items cite segments that support them.
    assert verslag.grounding.gecontroleerd == 2 and verslag.grounding.onderbouwd == 2
    # The transcript and the section prompt are in the request; the schema is constrained.
    request = llm.requests[0]
    assert "[2] [INWONER]: Ik slaap slecht" in request.messages[1].content
    assert request.json_schema is not None and request.temperature == 0.0
    # verslag.json round-trips with the agreed field names.
    data = json.loads(verslag.model_dump_json())
    for name in ("hulpvraag", "positieve_gezondheid", "ik_wil", "ik_kan", "ik_heb_nodig", "afspraken", "regie",
                 "overbrugging", "evaluatiemoment", "vragen_naar", "uitkomst", "ggz_verwijzing_nodig",
                 "advies_huisarts", "suggesties", "grounding", "schema_version"):
        assert name in data
    assert Verslag.model_validate_json(verslag.model_dump_json()) == verslag


def test_invalid_answer_is_repaired_with_the_validation_errors(short_transcript: PseudonymisedTranscript) -> None:
    llm = FakeLLM({"ik_wil": ['{"items": [{"tekst": "x"}]}', GOOD_IK_WIL]})
    verslag = draft_verslag(short_transcript, llm, DraftOptions(mode="sections", sections=["ik_wil"]))
    run = next(s for s in verslag.draft.secties if s.sectie == "ik_wil")
    assert run.status == "ok" and run.pogingen == 2 and len(run.fouten) == 1
    assert "bronnen" in run.fouten[0]
    repair = llm.requests[1].messages
    assert repair[-2].role == "assistant" and repair[-2].content == '{"items": [{"tekst": "x"}]}'
    assert repair[-1].role == "user" and "bronnen" in repair[-1].content
    assert verslag.ik_wil[0].tekst == "Weer rust in mijn hoofd"


@pytest.mark.parametrize(
    "bad",
    ["", "Natuurlijk! Hier is het verslag.", '{"items": [', '{"items": "geen lijst"}',
     '{"items": [{"tekst": "a", "bronnen": ["x"]}]}', '{"items": [], "extra": 1}', "null"],
)
def test_output_that_never_validates_leaves_the_section_empty(short_transcript: PseudonymisedTranscript, bad: str) -> None:
    llm = FakeLLM({"ik_wil": bad})
    verslag = draft_verslag(short_transcript, llm, DraftOptions(mode="sections", sections=["ik_wil"], max_retries=2))
    run = next(s for s in verslag.draft.secties if s.sectie == "ik_wil")
    assert run.status == "leeg_na_fouten" and run.pogingen == 3 and llm.calls_for("ik_wil") == 3
    assert run.ruwe_uitvoer == [bad] * 3 and len(run.fouten) == 3
    assert verslag.ik_wil == []


def test_valid_first_answer_is_not_retried(short_transcript: PseudonymisedTranscript) -> None:
    llm = FakeLLM({"ik_wil": GOOD_IK_WIL})
    verslag = draft_verslag(short_transcript, llm, DraftOptions(mode="sections", sections=["ik_wil"], max_retries=5))
    assert llm.calls_for("ik_wil") == 1 and verslag.draft.secties[2].pogingen == 1


def test_markdown_fenced_json_is_accepted(short_transcript: PseudonymisedTranscript) -> None:
    llm = FakeLLM({"ik_wil": f"```json\n{GOOD_IK_WIL}\n```"})
    verslag = draft_verslag(short_transcript, llm, DraftOptions(mode="sections", sections=["ik_wil"]))
    assert len(verslag.ik_wil) == 1


def test_unselected_sections_are_skipped_and_marked(short_transcript: PseudonymisedTranscript) -> None:
    llm = FakeLLM()
    verslag = draft_verslag(short_transcript, llm, DraftOptions(mode="sections", sections=["hulpvraag"]))
    assert [r.task for r in llm.requests] == ["hulpvraag"]
    assert {s.sectie: s.status for s in verslag.draft.secties}["afspraken"] == "overgeslagen"


def test_unknown_section_is_refused() -> None:
    with pytest.raises(ValueError):
        DraftOptions(mode="sections", sections=["samenvatting"])


def test_backend_without_constrained_decoding_gets_the_schema_in_the_prompt(short_transcript: PseudonymisedTranscript) -> None:
    constrained, free = FakeLLM(), FakeLLM(supports_json_schema=False)
    draft_verslag(short_transcript, constrained, DraftOptions(mode="sections", sections=["ik_wil"]))
    draft_verslag(short_transcript, free, DraftOptions(mode="sections", sections=["ik_wil"]))
    assert "JSON volgens dit schema" not in constrained.requests[0].messages[1].content
    assert "JSON volgens dit schema" in free.requests[0].messages[1].content


def test_context_too_small_for_the_instructions_is_a_clear_error(short_transcript: PseudonymisedTranscript) -> None:
    with pytest.raises(DraftError) as err:
        draft_verslag(short_transcript, FakeLLM(context_tokens=300), DraftOptions(mode="sections"))
    assert "VG_LLM_CONTEXT_TOKENS" in (err.value.hint or "")


def test_same_input_same_verslag(short_transcript: PseudonymisedTranscript) -> None:
    script = {"ik_wil": GOOD_IK_WIL, "afspraken": GOOD_AFSPRAKEN}
    a = draft_verslag(short_transcript, FakeLLM(script), DraftOptions(mode="sections"))
    b = draft_verslag(short_transcript, FakeLLM(script), DraftOptions(mode="sections"))
    assert a.model_dump(exclude={"draft"}) == b.model_dump(exclude={"draft"})
