"""The cue labeller (evidence mode, step 1 without a model): tables of turns that are and are not evidence."""

from __future__ import annotations

import pytest

from pipeline.transcript import PseudonymisedSegment
from pipeline.verslag.cues import cue_labels


def _turns(*turns: tuple[str, str]) -> list[PseudonymisedSegment]:
    return [PseudonymisedSegment(id=i, start=i * 5.0, end=i * 5.0 + 4, speaker=f"[{role.upper()}]", role=role, text=text)
            for i, (role, text) in enumerate(turns, start=1)]


@pytest.mark.parametrize(("question", "answer", "label"), [
    ("Wat zou u willen, als het weer wat beter gaat?", "Rust. Gewoon weer rust in mijn hoofd.", "ik_wil"),
    ("Wat vindt u zelf belangrijk?", "Dat mijn kinderen gewoon naar school gaan.", "ik_wil"),
    ("Waar bent u goed in?", "Koken, en met mensen omgaan.", "ik_kan"),
    ("Wat lukt er wel?", "De boodschappen, dat doe ik nog.", "ik_kan"),
    ("Wat heeft u nodig om weer rust te krijgen?", "Iemand die met me meekijkt naar de papieren.", "ik_heb_nodig"),
    ("Wat heb je nodig van ons?", "Hulp met de formulieren.", "ik_heb_nodig"),
    ("Wat brengt u hier vandaag?", "Ik slaap al maanden slecht en de rekeningen stapelen zich op.", "hulpvraag"),
])
def test_a_professionals_question_makes_the_answer_evidence(question: str, answer: str, label: str) -> None:
    labels = cue_labels(_turns(("ggz", question), ("inwoner", answer)))
    assert 2 in labels.get(label, []), labels
    assert 1 not in labels.get(label, [])  # the question itself is not the inwoner's answer


@pytest.mark.parametrize(("text", "label"), [
    ("Ik wil weer gaan werken.", "ik_wil"),
    ("Ik zou graag weer eens op vakantie gaan.", "ik_wil"),
    ("Ik kan goed plannen.", "ik_kan"),
    ("Ik ben best goed in koken.", "ik_kan"),
    ("Ik heb echt hulp nodig met de post.", "ik_heb_nodig"),
])
def test_the_inwoners_own_words_are_evidence(text: str, label: str) -> None:
    assert cue_labels(_turns(("inwoner", text))).get(label) == [1]


@pytest.mark.parametrize(("role", "text", "label"), [
    ("inwoner", "Ik kan het overzicht niet meer zelf maken.", "ik_kan"),   # negated: not a strength
    ("inwoner", "Ik wil het niet.", "ik_wil"),
    ("inwoner", "Het weer was gisteren mooi.", None),
    ("naaste", "Ik wil dat ze weer lacht.", "ik_wil"),                      # the naaste's own wish
    ("ggz", "Ik wil even zeggen dat dit gesprek vertrouwelijk is.", "ik_wil"),  # a professional
])
def test_turns_that_are_not_the_inwoners_wish_or_strength(role: str, text: str, label: str | None) -> None:
    labels = cue_labels(_turns((role, text)))
    if label is None:
        assert not any(1 in ids for name, ids in labels.items() if name in ("ik_wil", "ik_kan", "ik_heb_nodig"))
    else:
        assert 1 not in labels.get(label, [])


def test_a_question_reaches_the_next_answers_until_the_duo_asks_something_else() -> None:
    labels = cue_labels(_turns(
        ("ggz", "Wat kunt u zelf, waar bent u goed in?"),
        ("inwoner", "Plannen, dat deed ik op mijn werk."),
        ("naaste", "Ze helpt mijn kinderen met huiswerk, elke woensdag."),
        ("ggz", "Hoe is het met uw lichaam?"),
        ("inwoner", "Ik eet onregelmatig en heb vaak hoofdpijn."),
    ))
    assert labels["ik_kan"] == [2, 3]


def test_a_question_expires_after_the_horizon() -> None:
    turns = [("ggz", "Wat wilt u graag?")] + [("inwoner", "Tja.")] * 6
    assert cue_labels(_turns(*turns), horizon=3)["ik_wil"] == [2, 3, 4]


@pytest.mark.parametrize(("text", "label"), [
    ("Ik meld u deze week aan bij de schuldhulpverlening.", "afspraken"),
    ("Volgende week dinsdag openen we samen de post.", "afspraken"),
    ("In de tussentijd kunt u elke twee weken bij de praktijkondersteuner terecht.", "overbrugging"),
    ("Over zes weken kijken we samen hoe het gaat.", "evaluatiemoment"),
    ("Ik houd de regie over de afspraken.", "regie"),
    ("Als u vragen heeft, kunt u mij bellen via het wijkteam.", "vragen_naar"),
    ("Daarvoor is een verwijzing van de huisarts nodig.", "uitkomst"),
])
def test_a_professionals_planning_talk_is_evidence_for_the_vervolg(text: str, label: str) -> None:
    assert cue_labels(_turns(("sociaal", text))).get(label) == [1]


def test_planning_words_from_the_inwoner_are_not_afspraken() -> None:
    assert "afspraken" not in cue_labels(_turns(("inwoner", "Volgende week ga ik naar mijn moeder.")))


def test_without_roles_the_role_placeholders_decide() -> None:
    segs = [PseudonymisedSegment(id=1, start=0, end=1, speaker="[PERSOON-1]", text="Wat zou u willen?"),
            PseudonymisedSegment(id=2, start=1, end=2, speaker="[INWONER]", text="Weer rust.")]
    assert cue_labels(segs)["ik_wil"] == [2]


def test_a_professionals_statement_after_the_answer_closes_the_question() -> None:
    labels = cue_labels(_turns(
        ("ggz", "Wat kunt u zelf?"),
        ("inwoner", "Ik ben een harde werker."),
        ("ggz", "Ik wil eerlijk zijn: hulp bij het minderen van alcohol is nodig, bijvoorbeeld bij de verslavingszorg."),
        ("inwoner", "Daar heb ik geen zin in, maar fietsen doe ik graag."),
    ))
    assert labels["ik_kan"] == [2]


def test_a_short_encouragement_keeps_the_question_open() -> None:
    labels = cue_labels(_turns(("ggz", "Wat kunt u zelf?"), ("inwoner", "Koken."), ("ggz", "Mooi. En verder?"),
                               ("inwoner", "Fietsen met de buurman.")))
    assert labels["ik_kan"] == [2, 4]


@pytest.mark.parametrize(("answer", "labelled"), [
    ("Naar een verslavingszorg ga ik niet. Ik ben geen alcoholist.", False),  # every sentence negated
    ("Niet veel. Maar koken gaat goed.", True),                                # one positive sentence
])
def test_a_negated_answer_is_no_wish_or_strength(answer: str, labelled: bool) -> None:
    labels = cue_labels(_turns(("ggz", "Wat kunt u zelf?"), ("inwoner", answer)))
    assert (2 in labels.get("ik_kan", [])) == labelled
