"""The per-span decision rule (pipeline/deid/decide.py): a table of clusters and what must come
out, one row per rule, with the case that must *not* trigger it."""

from __future__ import annotations

from functools import lru_cache

import pytest

from pipeline.deid.decide import Proposal, decide, noisy_or, type_scores
from pipeline.deid.lexicon import load_lexicon


@lru_cache(maxsize=1)
def lexicon():
    return load_lexicon()


def P(start, end, type_, score, recognizer, case=None):
    return Proposal(start, end, type_, score, recognizer, case)


def test_noisy_or_combines_independent_evidence():
    assert noisy_or([0.5, 0.5]) == pytest.approx(0.75)
    assert noisy_or([]) == 0.0
    # one recognizer counts once, with its best score
    scores = type_scores([P(0, 5, "PERSOON", 0.6, "A"), P(0, 5, "PERSOON", 0.7, "A"), P(0, 5, "PERSOON", 0.5, "B")])
    assert scores["PERSOON"] == pytest.approx(1 - 0.3 * 0.5)


TEXT = "Sanne woont in Eindhoven. Goed, mail sanne@x.nl en Stichting De Overloop en Marco van der Linden."


@pytest.mark.parametrize("cluster,expected", [
    # 1. structured wins over a name inside it
    ([P(37, 46, "EMAIL", 0.9, "EmailRecognizer"), P(37, 42, "PERSOON", 0.85, "DeduceRecognizer")], ("EMAIL", "EmailRecognizer")),
    # 2. CASE wins over other readings
    ([P(0, 5, "PERSOON", 0.8, "CaseNameRecognizer", "[INWONER]"), P(0, 5, "LOCATIE", 0.9, "NlPlaceRecognizer")], ("PERSOON", "CaseNameRecognizer")),
    # 3/4. highest combined score decides the type
    ([P(15, 24, "PERSOON", 0.70, "NameListRecognizer"), P(15, 24, "LOCATIE", 0.72, "SpacyNerRecognizer")], ("LOCATIE", "SpacyNerRecognizer")),
    ([P(0, 5, "PERSOON", 0.75, "NameListRecognizer"), P(0, 5, "LOCATIE", 0.72, "SpacyNerRecognizer")], ("PERSOON", "NameListRecognizer")),
    # 4. a named institution keeps a person inside it from typing the span
    ([P(51, 72, "INSTELLING", 0.7, "InstitutionRecognizer"), P(66, 72, "PERSOON", 0.8, "DeduceRecognizer")], ("INSTELLING", "InstitutionRecognizer")),
    # 4. weak person evidence gives way to a listed place as long as the name ...
    ([P(15, 24, "PERSOON", 0.9, "NameListRecognizer"), P(15, 24, "LOCATIE", 0.6, "NlPlaceRecognizer")], ("LOCATIE", "NlPlaceRecognizer")),
    # ... but not to a place that is only part of it ("Linden" in "Marco van der Linden")
    ([P(76, 96, "PERSOON", 1.0, "NameListRecognizer"), P(90, 96, "LOCATIE", 0.6, "NlPlaceRecognizer")], ("PERSOON", "NameListRecognizer")),
    # 5. NER alone on an ordinary word is dropped; NER alone on a name is kept
    ([P(26, 30, "PERSOON", 0.57, "SpacyNerRecognizer")], None),
    ([P(0, 5, "PERSOON", 0.57, "SpacyNerRecognizer")], ("PERSOON", "SpacyNerRecognizer")),
    # 5. ... and the same ordinary word is kept when another recognizer also proposes it
    ([P(26, 30, "PERSOON", 0.57, "SpacyNerRecognizer"), P(26, 30, "PERSOON", 0.5, "NameListRecognizer")], ("PERSOON", "SpacyNerRecognizer")),
    # 5. a lower-case NER-only span in cased text is dropped
    ([P(37, 42, "PERSOON", 0.42, "SpacyNerRecognizer")], None),
])
def test_decision_table(cluster, expected):
    decision = decide(TEXT, cluster, 0.4, lexicon())
    if expected is None:
        assert decision is None
    else:
        assert decision is not None and (decision.type, decision.recognizer) == expected
        assert len(decision.evidence) == len({(c.recognizer, c.type) for c in cluster})  # every contribution visible


def test_lower_case_ner_span_kept_in_lower_case_text():
    text = "ik was bij sanne gisteren"
    assert decide(text, [P(11, 16, "PERSOON", 0.42, "SpacyNerRecognizer")], 0.4, lexicon()) is not None


def test_threshold_applies_to_combined_score():
    assert decide(TEXT, [P(0, 5, "PERSOON", 0.3, "NameListRecognizer")], 0.4, lexicon()) is None
    both = [P(0, 5, "PERSOON", 0.3, "NameListRecognizer"), P(0, 5, "PERSOON", 0.3, "UnknownCapitalisedRecognizer")]
    assert decide(TEXT, both, 0.4, lexicon()).score == pytest.approx(0.51)
