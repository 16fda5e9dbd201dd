from __future__ import annotations

import pytest

from pipeline.transcript import PseudonymisedSegment, PseudonymisedTranscript

SHORT_TURNS = [
    ("[PERSOON-1]", "Welkom. Wat brengt u hier, wat is uw vraag?"),
    ("[INWONER]", "Ik slaap slecht en ik pieker veel sinds ik mijn werk kwijt ben. Ik wil weer rust in mijn hoofd."),
    ("[PERSOON-2]", "Wat lukt u zelf nog goed?"),
    ("[INWONER]", "Ik wandel elke dag met de hond en mijn zus [PERSOON-3] helpt met de post."),
    ("[INWONER]", "Ik heb hulp nodig met mijn schulden, daar kom ik alleen niet uit."),
    ("[PERSOON-2]", "We spreken af dat ik u volgende week aanmeld bij de schuldhulpverlening van het wijkteam."),
    ("[PERSOON-1]", "Een verwijzing naar de ggz is nu niet nodig. Over zes weken evalueren we samen."),
    ("[INWONER]", "Dat is goed. Met vragen bel ik het wijkteam."),
]


def make_transcript(turns: list[tuple[str, str]]) -> PseudonymisedTranscript:
    segments = [
        PseudonymisedSegment(id=i, start=float(i * 5), end=float(i * 5 + 4), speaker=who, text=text)
        for i, (who, text) in enumerate(turns, start=1)
    ]
    return PseudonymisedTranscript(duration=len(turns) * 5.0, segments=segments,
                                   placeholders=["[INWONER]", "[PERSOON-1]", "[PERSOON-2]", "[PERSOON-3]"])


@pytest.fixture
def short_transcript() -> PseudonymisedTranscript:
    return make_transcript(SHORT_TURNS)
