"""Evidence mode with a scripted fake LLM: windows, labels, grouping, quote fallback, decision,
template-first advies, per-step stats."""

from __future__ import annotations

import json

import pytest

from models.llm.base import GenerationRequest
from models.llm.fake import FakeLLM
from pipeline.transcript import PseudonymisedSegment, PseudonymisedTranscript
from pipeline.verslag import DraftOptions, Verslag, draft_verslag
from pipeline.verslag import schema as s
from pipeline.verslag.compose import compose_advies, quote_item
from pipeline.verslag.evidence import evidence_line, group_segments, make_windows, window_model

from .conftest import SHORT_TURNS, make_transcript


def _seg(i: int, text: str, speaker: str = "[INWONER]", role: str | None = "inwoner") -> PseudonymisedSegment:
    return PseudonymisedSegment(id=i, start=float(i), end=float(i) + 0.5, speaker=speaker, role=role, text=text)


# --- windows ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "budget", "overlap", "expected_starts"), [
    (10, 1000, 2, [1]),               # everything fits: one window
    (10, 3, 0, list(range(1, 11))),   # budget below one segment: one segment per window, no loop
    (10, 40, 1, None),                # several windows with overlap (checked below)
])
def test_windows_cover_every_segment_once_plus_overlap(n: int, budget: int, overlap: int,
                                                       expected_starts: list[int] | None) -> None:
    segments = [_seg(i, "woord " * 10) for i in range(1, n + 1)]
    windows = make_windows(segments, budget, lambda t: len(t.split()), overlap)
    covered = [seg.id for w in windows for seg in w]
    assert set(covered) == set(range(1, n + 1))
    if expected_starts is not None:
        assert [w[0].id for w in windows] == expected_starts
    for prev, nxt in zip(windows, windows[1:]):
        shared = {x.id for x in prev} & {x.id for x in nxt}
        assert len(shared) == min(overlap, len(prev) - 1) or len(prev) == 1


def test_evidence_line_carries_the_speaker_role() -> None:
    assert evidence_line(_seg(7, "Ik wil rust.")) == "[7] [INWONER] (inwoner): Ik wil rust."
    assert evidence_line(_seg(8, "Hoe gaat het?", "[PERSOON-1]", None)) == "[8] [PERSOON-1]: Hoe gaat het?"


# --- grouping -----------------------------------------------------------------------------------------

TEXTS = {i: t for i, t in enumerate([
    "", "Ik wil weer werken.", "Werken geeft mij structuur.", "Het weer is mooi.", "Koffie?",
    "Ik wil weer werken, echt.", "Mijn zus helpt met de post.", "Geen idee.", "Nog iets.", "De post stapelt op.",
]) if i}


@pytest.mark.parametrize(("ids", "expected"), [
    ([1, 2], [[1, 2]]),                 # adjacent turns
    ([2, 5], [[2, 5]]),                 # three turns apart, shared word "werken"
    ([1, 4], [[1], [4]]),               # three apart, no shared content word
    ([2, 9], [[2], [9]]),               # too far apart
    ([6, 9], [[6, 9]]),                 # shared "post" within the gap
    ([1, 2, 3, 4, 5], [[1, 2, 3, 4], [5]]),  # at most four per group: never a block
    ([], []),
    ([42], []),                         # unknown ids are dropped
])
def test_grouping(ids: list[int], expected: list[list[int]]) -> None:
    assert group_segments(ids, TEXTS, max_gap=3, max_group=4) == expected


# --- quote fallback -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("section", "group", "expected_id"), [
    ("ik_wil", [1, 2], 2),              # the inwoner's segment, not the professional's question
    ("ik_wil", [3, 2], 2),              # the one with a "wil" among the inwoner's
    ("afspraken", [1, 3], 1),           # not an inwoner section: first segment
    ("ik_kan", [1], 1),                 # no inwoner segment: falls back to the group
])
def test_quote_item_keeps_the_speakers_own_words(section: str, group: list[int], expected_id: int) -> None:
    segments = {
        1: _seg(1, "Wat wilt u bereiken?", "[PERSOON-1]", "ggz"),
        2: _seg(2, "Ik wil weer rust in mijn hoofd."),
        3: _seg(3, "Dat vind ik moeilijk."),
    }
    item = quote_item(section, group, segments)
    assert item.herkomst == "citaat" and item.bronnen == [expected_id]
    assert item.tekst == segments[expected_id].text


def test_quote_is_cut_to_a_readable_length() -> None:
    long = _seg(1, " ".join(["woord"] * 100))
    item = quote_item("ik_kan", [1], {1: long})
    assert item.tekst.endswith("…") and len(item.tekst.split()) == 41


# --- template-first advies ----------------------------------------------------------------------------


def test_advies_is_composed_from_items_and_never_empty_while_items_exist() -> None:
    v = Verslag(
        afspraken=[s.Afspraak(tekst="Het wijkteam meldt aan bij schuldhulp", bronnen=[6])],
        ik_heb_nodig=[s.Item(tekst="Hulp met de schulden.", bronnen=[5])],
        uitkomst=s.Uitkomst(categorie="sociaal domein", tekst="x", bronnen=[7]),
        ggz_verwijzing_nodig=s.GgzVerwijzing(nodig=False, tekst="x", bronnen=[7]),
    )
    advies = compose_advies(v)
    assert advies is not None and advies.herkomst == "sjabloon"
    assert "sociaal domein" in advies.tekst and "niet nodig" in advies.tekst
    assert "schuldhulp" in advies.tekst and "Hulp met de schulden." in advies.tekst
    assert set(advies.bronnen) == {5, 6, 7}


@pytest.mark.parametrize(("verslag", "expect_none"), [
    (Verslag(), True),
    (Verslag(hulpvraag=s.Hulpvraag(tekst="Rust in het hoofd", bronnen=[2])), False),
])
def test_advies_falls_back_to_the_hulpvraag_or_nothing(verslag: Verslag, expect_none: bool) -> None:
    assert (compose_advies(verslag) is None) == expect_none


# --- the whole evidence mode with a fake LLM -----------------------------------------------------------


def _responder(labels: dict[str, list[int]], sentence: dict[str, str], uitkomst: str = "sociaal domein"):
    def respond(request: GenerationRequest) -> str:
        if request.task == "bewijs":
            ids = [int(k) for k in request.json_schema["properties"]]
            by_id = {i: name for name, sids in labels.items() for i in sids}
            return json.dumps({str(i): by_id.get(i, "geen") for i in ids})
        if request.task == "beslis":
            return json.dumps({"uitkomst": uitkomst, "ggz_verwijzing_nodig": False})
        section = (request.task or "").split(":", 1)[1]
        text = sentence.get(section, "")
        if section == "afspraken":
            return json.dumps({"afspraken": [{"tekst": text, "wie": "wijkteam", "wat": "aanmelden",
                                              "wanneer": "volgende week"}]})
        if "zinnen" in request.json_schema["properties"]:
            return json.dumps({"zinnen": [text]})
        return json.dumps({"tekst": text})
    return respond


def test_evidence_mode_writes_grounded_items_with_small_bronnen(short_transcript: PseudonymisedTranscript) -> None:
    # one label per segment: segment 2 is ik_wil (not also hulpvraag), 7 is uitkomst
    labels = {"ik_wil": [2], "ik_kan": [4], "ik_heb_nodig": [5], "afspraken": [6], "uitkomst": [7], "vragen_naar": [8]}
    sentences = {
        "hulpvraag": "Slecht slapen en piekeren sinds het werk weg is.",
        "ik_wil": "Ik wil weer rust in mijn hoofd.",
        "ik_kan": "Ik wandel elke dag met de hond.",
        # Invented content: fails the grounding check, so the speaker's words replace it.
        "ik_heb_nodig": "Een opname in een kliniek in Utrecht.",
        "afspraken": "Volgende week aanmelden bij de schuldhulpverlening van het wijkteam.",
        "uitkomst": "Een verwijzing naar de ggz is nu niet nodig.",
        "evaluatiemoment": "Over zes weken evalueren we samen.",
        "vragen_naar": "Met vragen bellen naar het wijkteam.",
    }
    llm = FakeLLM(_responder(labels, sentences))
    v = draft_verslag(short_transcript, llm, DraftOptions(mode="evidence", evidence_labeller="llm", outcome_decider="llm",
                                                         afspraken_writer="llm"))
    assert [i.tekst for i in v.ik_wil] == ["Ik wil weer rust in mijn hoofd."]
    assert v.ik_wil[0].herkomst == "model" and v.ik_wil[0].bronnen == [2]
    assert v.ik_heb_nodig[0].herkomst == "citaat"
    assert v.ik_heb_nodig[0].tekst == short_transcript.segments[4].text
    assert v.afspraken[0].wie == "wijkteam" and v.afspraken[0].bronnen == [6]
    assert v.uitkomst is not None and v.uitkomst.categorie == "sociaal domein"
    assert v.ggz_verwijzing_nodig is not None and v.ggz_verwijzing_nodig.nodig is False
    assert v.advies_huisarts is not None and v.advies_huisarts.herkomst == "sjabloon"
    assert all(len(item.bronnen) <= 4 for _, item in v.iter_items() if item is not v.advies_huisarts)
    assert v.grounding.niet_onderbouwd == 0, [c for c in v.grounding.items if c.status != "onderbouwd"]
    info = v.draft
    assert info is not None and info.modus == "evidence" and info.bewijs["ik_wil"] == [2]
    assert [st.stap for st in info.stappen] == ["bewijs", "groeperen", "schrijven", "beslissen", "samenstellen"]
    steps = {st.stap: st for st in info.stappen}
    assert steps["bewijs"].verzoeken == 1 and steps["bewijs"].prompt_tokens > 0
    assert steps["schrijven"].verzoeken == 6 and steps["beslissen"].verzoeken == 1
    assert "verslag_bewijs/evidence" in info.prompt_versions


def test_evidence_mode_reads_every_segment_once_in_windows() -> None:
    turns = [("[INWONER]", f"Zin nummer {i} over het dagelijks leven en de buurt.") for i in range(1, 61)]
    pt = make_transcript(turns)
    llm = FakeLLM(_responder({}, {}), context_tokens=1024)
    draft_verslag(pt, llm, DraftOptions(mode="evidence", evidence_labeller="llm", window_tokens=200, window_overlap=2))
    windows = [r for r in llm.requests if r.task == "bewijs"]
    assert len(windows) > 1
    seen = [int(line.split("]")[0][1:]) for r in windows for line in r.messages[-1].content.splitlines()[1:]]
    assert set(seen) == set(range(1, 61))
    assert len(seen) <= 60 + 2 * (len(windows) - 1)
    # the instruction is the same leading message in every window (shared prefix for the KV cache)
    assert len({r.messages[0].content for r in windows}) == 1


@pytest.mark.parametrize("answer", ["niet eens json", '{"1": "ik_wil"}', '{"1": "onzin", "2": "geen"}'])
def test_bad_labels_leave_an_empty_but_valid_draft(short_transcript: PseudonymisedTranscript, answer: str) -> None:
    llm = FakeLLM({"bewijs": answer})
    v = draft_verslag(short_transcript, llm, DraftOptions(mode="evidence", evidence_labeller="llm", max_retries=1,
                                                              outcome_decider="llm"))
    assert v.ik_wil == [] and v.advies_huisarts is None
    assert v.draft is not None and v.draft.stappen[0].fouten
    assert Verslag.model_validate_json(v.model_dump_json()) == v


def test_every_segment_of_a_window_must_be_labelled_with_a_known_label() -> None:
    model = window_model([3, 4])
    assert model.model_json_schema()["required"] == ["3", "4"]
    assert model.model_validate_json('{"3": "geen", "4": "ik_wil"}')
    for bad in ('{"3": "geen"}', '{"3": "geen", "4": "ik_wil", "5": "geen"}', '{"3": "geen", "4": "wens"}'):
        with pytest.raises(ValueError):
            model.model_validate_json(bad)


def test_window_count_follows_the_segment_cap() -> None:
    segments = [_seg(i, "kort") for i in range(1, 101)]
    windows = make_windows(segments, 10_000, lambda t: 1, overlap=2, max_segments=40)
    assert [len(w) for w in windows] == [40, 40, 24]


def test_evidence_mode_is_the_default_and_sections_mode_stays_available(short_transcript: PseudonymisedTranscript) -> None:
    v = draft_verslag(short_transcript, FakeLLM(), DraftOptions())
    assert v.draft is not None and v.draft.modus == "evidence" and v.draft.stappen and not v.draft.secties
    v = draft_verslag(short_transcript, FakeLLM(), DraftOptions(mode="sections"))
    assert v.draft is not None and v.draft.modus == "sections" and v.draft.secties and not v.draft.stappen


@pytest.mark.parametrize(("labels", "expected_bronnen"), [
    ({"uitkomst": [7], "afspraken": [6]}, [7]),   # the written uitkomst item's group
    ({"afspraken": [6]}, [6]),                    # no uitkomst evidence: the segments decided on
])
def test_uitkomst_always_cites_segments(short_transcript: PseudonymisedTranscript, labels: dict[str, list[int]],
                                        expected_bronnen: list[int]) -> None:
    sentences = {"uitkomst": "Een verwijzing naar de ggz is nu niet nodig.",
                 "afspraken": "Volgende week aanmelden bij de schuldhulpverlening van het wijkteam."}
    v = draft_verslag(short_transcript, FakeLLM(_responder(labels, sentences)),
                      DraftOptions(mode="evidence", evidence_labeller="llm", outcome_decider="llm"))
    assert v.uitkomst is not None and v.uitkomst.bronnen == expected_bronnen
    assert v.ggz_verwijzing_nodig is not None and v.ggz_verwijzing_nodig.bronnen == expected_bronnen


def test_no_evidence_for_the_outcome_means_no_decision_request(short_transcript: PseudonymisedTranscript) -> None:
    llm = FakeLLM(_responder({"ik_wil": [2]}, {"ik_wil": "Ik wil weer rust in mijn hoofd."}))
    v = draft_verslag(short_transcript, llm, DraftOptions(mode="evidence", evidence_labeller="llm", outcome_decider="llm"))
    assert v.uitkomst is None and llm.calls_for("beslis") == 0
    assert v.advies_huisarts is None  # only ik_wil: the letter lists it through the template fallback


def test_default_labeller_uses_the_vg_questions_and_asks_the_model_only_to_write(
        short_transcript: PseudonymisedTranscript) -> None:
    sentences = {"ik_wil": "Ik wil weer rust in mijn hoofd.", "ik_heb_nodig": "Ik heb hulp nodig met mijn schulden."}
    llm = FakeLLM(_responder({}, sentences))
    v = draft_verslag(short_transcript, llm, DraftOptions(mode="evidence"))
    assert llm.calls_for("bewijs") == 0
    assert v.draft is not None and 2 in v.draft.bewijs["ik_wil"] and 4 in v.draft.bewijs["ik_kan"]
    assert [i.tekst for i in v.ik_wil] == ["Ik wil weer rust in mijn hoofd."]
    assert [i.tekst for i in v.ik_heb_nodig] == ["Ik heb hulp nodig met mijn schulden."]
    assert "verslag_bewijs/evidence" not in v.draft.prompt_versions


def test_one_group_can_hold_several_wishes() -> None:
    pt = make_transcript([("[PERSOON-1]", "Wat zou u willen?"),
                          ("[INWONER]", "Ik wil weer rust in mijn hoofd. En ik wil weer werken.")])
    llm = FakeLLM(lambda r: json.dumps({"zinnen": ["Ik wil weer rust in mijn hoofd.", "Ik wil weer werken."]})
                  if r.task == "schrijf:ik_wil" else json.dumps({"tekst": "x"}))
    v = draft_verslag(pt, llm, DraftOptions(mode="evidence", sections=["ik_wil"]))
    assert [i.tekst for i in v.ik_wil] == ["Ik wil weer rust in mijn hoofd.", "Ik wil weer werken."]
    assert all(i.bronnen == [2] for i in v.ik_wil)


def test_a_summary_turn_with_several_actions_gives_one_afspraak_each(
        short_transcript: PseudonymisedTranscript) -> None:
    two = json.dumps({"afspraken": [
        {"tekst": "[PERSOON-2] meldt u volgende week aan bij de schuldhulpverlening.", "wie": "[PERSOON-2]",
         "wat": "aanmelden schuldhulpverlening", "wanneer": "volgende week"},
        {"tekst": "Over zes weken evalueren we samen.", "wie": None, "wat": "evalueren", "wanneer": "over zes weken"},
        {"tekst": "Over zes weken evalueren we samen.", "wie": None, "wat": "evalueren", "wanneer": "over zes weken"},
    ]})
    summary = make_transcript([*SHORT_TURNS[:5], ("[PERSOON-2]", "Dan vat ik het samen. [PERSOON-2] meldt u volgende "
                                                 "week aan bij de schuldhulpverlening. Over zes weken evalueren we samen.")])
    llm = FakeLLM({"schrijf:afspraken": two})
    llm_writer = DraftOptions(mode="evidence", sections=["afspraken"], afspraken_writer="llm")
    v = draft_verslag(summary, llm, llm_writer)
    assert [a.wat for a in v.afspraken] == ["aanmelden schuldhulpverlening", "evalueren"]  # duplicates once
    assert all(a.bronnen == [6] for a in v.afspraken)
    # in a group that does not say it, the second action is dropped by the grounding check
    v = draft_verslag(short_transcript, FakeLLM({"schrijf:afspraken": two}), llm_writer)
    assert [a.wat for a in v.afspraken] == ["aanmelden schuldhulpverlening"]
