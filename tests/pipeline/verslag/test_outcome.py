"""The outcome rule (evidence mode, step 4 without a model): tables of closing proposals and the
category they lead to, and of sentences that must not count."""

from __future__ import annotations

import json

import pytest

from models.llm.fake import FakeLLM
from pipeline.transcript import PseudonymisedSegment, PseudonymisedTranscript
from pipeline.verslag import DraftOptions, draft_verslag
from pipeline.verslag.outcome import decide_outcome

OPENING = [("inwoner", "Ik slaap slecht en de rekeningen stapelen zich op.")] * 3


def _conversation(*closing: tuple[str, str]) -> list[PseudonymisedSegment]:
    turns = OPENING + list(closing)
    return [PseudonymisedSegment(id=i, start=i * 5.0, end=i * 5.0 + 4, speaker=f"[{role.upper()}]", role=role, text=text)
            for i, (role, text) in enumerate(turns, start=1)]


@pytest.mark.parametrize(("closing", "uitkomst", "verwijzing"), [
    ([("ggz", "Ik vraag de huisarts om een verwijzing naar de basis ggz.")], "ggz", True),
    ([("ggz", "Ik adviseer een kortdurende behandeling bij een psycholoog.")], "ggz", True),
    ([("ggz", "De POH ggz van de huisarts ziet u elke twee weken.")], "ggz", False),
    ([("sociaal", "Ik meld u deze week aan bij de schuldhulpverlening."),
      ("ggz", "En ik vraag een verwijzing naar de basis ggz aan.")], "ggz en sociaal domein", True),
    ([("sociaal", "Ik help u met de Wmo-aanvraag voor ambulante begeleiding.")], "sociaal domein", False),
    ([("sociaal", "Er is een eettafel in het buurthuis, op dinsdag.")], "sociaal domein", False),
    ([("ggz", "We brengen de situatie in bij de overlegtafel van de regio."),
      ("sociaal", "Het wijkteam schuift daar ook aan.")], "overlegtafel", False),
    ([("ggz", "Ik zie geen reden voor behandeling of formele ondersteuning.")], "geen formele zorg", False),
    ([("ggz", "Er is een gratis online zelfhulpprogramma over slaap.")], "geen formele zorg", False),
])
def test_the_duos_closing_proposals_decide_the_outcome(closing: list[tuple[str, str]], uitkomst: str,
                                                      verwijzing: bool) -> None:
    decision = decide_outcome(_conversation(*closing), tail=0.5)
    assert decision is not None
    assert (decision.uitkomst, decision.ggz_verwijzing_nodig) == (uitkomst, verwijzing)
    assert decision.bronnen and all(b > len(OPENING) for b in decision.bronnen)
    assert decision.zinnen  # the professionals' own sentences, cited as the outcome's text


@pytest.mark.parametrize("closing", [
    [("ggz", "Ik zie op dit moment geen reden voor een verwijzing naar de ggz.")],       # negated
    [("ggz", "Ik denk niet dat behandeling in de ggz nu nodig is.")],                   # negated
    [("ggz", "Als de klachten niet minder worden, kijken we opnieuw. Dan kan de POH ggz u zien.")],  # conditional
    [("ggz", "Heeft u al eens een psycholoog gesproken?")],                             # a question
    [("inwoner", "Naar de verslavingszorg ga ik niet, maar het wijkteam ken ik wel.")],  # the inwoner's words
    [("ggz", "Dank u wel voor het gesprek.")],                                           # nothing planned
])
def test_sentences_that_are_no_proposal_do_not_decide(closing: list[tuple[str, str]]) -> None:
    decision = decide_outcome(_conversation(*closing), tail=0.5)
    assert decision is None or decision.uitkomst == "geen formele zorg" and "geen" in decision.zinnen[0]


def test_only_the_closing_part_of_the_conversation_counts() -> None:
    early = [("ggz", "U bent eerder verwezen naar de basis ggz, toch?"), ("ggz", "Vroeger had u een psycholoog.")]
    late = [("inwoner", "Ja.")] * 6 + [("sociaal", "Ik meld u aan bij het wijkteam.")]
    decision = decide_outcome(_conversation(*early, *late), tail=0.4)
    assert decision is not None and decision.uitkomst == "sociaal domein"


def test_evidence_mode_asks_the_model_only_when_no_rule_applies(short_transcript: PseudonymisedTranscript) -> None:
    llm = FakeLLM({"beslis": json.dumps({"uitkomst": "ggz", "ggz_verwijzing_nodig": True})})
    v = draft_verslag(short_transcript, llm, DraftOptions(mode="evidence", sections=["uitkomst"]))
    assert llm.calls_for("beslis") == 0
    assert v.uitkomst is not None and v.uitkomst.categorie == "sociaal domein" and v.uitkomst.herkomst == "citaat"
    assert v.uitkomst.bronnen == [6] and "schuldhulpverlening" in v.uitkomst.tekst
    assert v.ggz_verwijzing_nodig is not None and v.ggz_verwijzing_nodig.nodig is False
    assert v.uitkomst.status == "onderbouwd"

    quiet = PseudonymisedTranscript(duration=10.0, segments=short_transcript.segments[:4],
                                    placeholders=short_transcript.placeholders)
    llm = FakeLLM({"beslis": json.dumps({"uitkomst": "ggz", "ggz_verwijzing_nodig": True})})
    draft_verslag(quiet, llm, DraftOptions(mode="evidence", sections=["uitkomst"]))
    assert llm.calls_for("beslis") <= 1  # no proposal at the end: the model may be asked (when there is evidence)


def test_a_letter_with_only_the_outcome_is_grounded_by_the_duos_words(short_transcript: PseudonymisedTranscript) -> None:
    v = draft_verslag(short_transcript, FakeLLM(), DraftOptions(mode="evidence", sections=["uitkomst", "advies_huisarts"]))
    assert v.advies_huisarts is not None and "sociaal domein" in v.advies_huisarts.tekst
    assert v.advies_huisarts.status == "onderbouwd" and v.advies_huisarts.bronnen == [6]
