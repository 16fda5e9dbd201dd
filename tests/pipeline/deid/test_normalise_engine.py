"""The real engine (Presidio + Deduce + our recognizers) on text with invisible characters,
fullwidth forms and look-alike letters: what a reader sees as personal data is replaced, the
replacement covers the original (hidden) characters, and ordinary text stays as it was."""

from __future__ import annotations

import pytest

from pipeline.case import CaseMetadata
from pipeline.deid import deidentify, deidentify_text
from pipeline.deid.normalise import normalise_text
from pipeline.transcript import Segment, Transcript, TranscriptSource

pytestmark = pytest.mark.slow

ZW, SHY, NBSP, BOM, RLO, PDF = "\u200b", "\u00ad", "\u00a0", "\ufeff", "\u202e", "\u202c"


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


POSITIVE = [
    # (text, secrets a reader would see, entity types expected)
    (f"Mijn naam is San{ZW}ne de Gr{SHY}oot en mijn BSN is 1719{ZW}73069.", ["Sanne", "Groot", "171973069"], {"PERSOON", "BSN"}),
    (f"Mijn naam is {BOM}Sanne{NBSP}de{NBSP}Groot.", ["Sanne", "Groot"], {"PERSOON"}),
    (f"Mijn naam is S\u0430nne de Gr\u043eot.", ["Sanne", "Groot"], {"PERSOON"}),  # Cyrillic a, o
    (f"Mijn BSN is {fullwidth('171973069')}.", ["171973069"], {"BSN"}),
    (f"Bel me op 06-1234{ZW}5678.", ["12345678"], {"TELEFOON"}),
    (f"Bel me op 06{NBSP}12{SHY}34{SHY}56{SHY}78.", ["12345678"], {"TELEFOON"}),
    (f"Bel me op {fullwidth('0612345678')}.", ["0612345678"], {"TELEFOON"}),
    (f"Mijn rekening is NL91{ZW}ABNA{SHY}0417{ZW}1643{NBSP}00.", ["0417164300"], {"IBAN"}),
    (f"Mijn rekening is {fullwidth('NL91ABNA0417164300')}.", ["0417164300"], {"IBAN"}),
    (f"Mail naar sanne{ZW}.degroot@exa{SHY}mple.nl graag.", ["degroot", "example.nl"], {"EMAIL"}),
    (f"Mail naar {fullwidth('sanne@example.nl')} graag.", ["sanne@example", "example.nl"], {"EMAIL"}),
]

NEGATIVE = [
    f"Ik ga naar de w{ZW}inkel en de z{SHY}on schijnt.",
    f"Het gaat {ZW}goed met me{NBSP}vandaag.",
    f"{ZW}\u200c{SHY}",
    f"We spreken om {fullwidth('10')} uur af{BOM}.",
]


def _reader_view(text: str) -> str:
    return normalise_text(text).text.replace(" ", "").replace("-", "").replace(".", "")


@pytest.mark.parametrize(("text", "secrets", "types"), POSITIVE)
def test_hidden_personal_data_is_replaced(deid_engine, text: str, secrets: list[str], types: set[str]) -> None:
    result = deidentify_text(text, CaseMetadata(), deid_engine)
    seen = _reader_view(result.text)
    for secret in secrets:
        assert secret.replace(".", "") not in seen, (text, result.text)
    assert types <= {e.type for e in result.entities}, result.entities
    # spans index the ORIGINAL text and the mapping holds its original characters
    for entity in result.entities:
        originals = {text[e.start : e.end] for e in result.entities if e.placeholder == entity.placeholder}
        assert result.mapping[entity.placeholder] in originals
    covered = sorted((e.start, e.end) for e in result.entities)
    rebuilt, last = [], 0
    for (start, end), entity in zip(covered, sorted(result.entities, key=lambda e: e.start)):
        rebuilt += [text[last:start], entity.placeholder]
        last = end
    assert "".join(rebuilt) + text[last:] == result.text


@pytest.mark.parametrize("text", NEGATIVE)
def test_ordinary_text_with_invisible_characters_is_untouched(deid_engine, text: str) -> None:
    result = deidentify_text(text, CaseMetadata(), deid_engine)
    assert result.entities == []
    assert result.text == text


def test_issue_sentence_in_a_transcript_keeps_one_placeholder_per_person(deid_engine) -> None:
    segments = [
        Segment(id=1, start=0, end=4, speaker="SPREKER_1", text=f"Mijn naam is San{ZW}ne de Gr{SHY}oot en mijn BSN is 1719{ZW}73069."),
        Segment(id=2, start=5, end=9, speaker="SPREKER_2", text="Dank je, Sanne de Groot."),
    ]
    transcript = Transcript(duration=10, segments=segments,
                            source=TranscriptSource(kind="text", filename="t.txt", sha256="0" * 64))
    result = deidentify(transcript, CaseMetadata(), deid_engine)
    pseudo = result.pseudonymised
    for secret in ("Sanne", "Groot", "171973069"):
        assert secret not in _reader_view(pseudo.text)
    persons = {e.placeholder for e in pseudo.entities if e.type == "PERSOON"}
    assert len(persons) == 1, pseudo.entities
    first = pseudo.entities[0]
    assert segments[0].text[first.start : first.end] == f"San{ZW}ne de Gr{SHY}oot"
