"""Names nobody listed, found once and followed (issue 15): a person name continued to the
capitalised word that touches it, propagated to its other occurrences in the transcript, unlisted
names at the start of a sentence, and initials; each with the cases that must not trigger it."""

from __future__ import annotations

from functools import lru_cache

import pytest

from pipeline.case import CaseMetadata
from pipeline.deid.engine import Span, _propagated
from pipeline.deid.lexicon import load_lexicon
from pipeline.deid.name_spread import continue_names, name_words, propagate_names
from pipeline.deid.recognizers.initials import InitialsRecognizer

CASE = CaseMetadata()


@lru_cache(maxsize=1)
def lexicon():
    return load_lexicon()


def person(text: str, word: str, score: float = 0.45, case: str | None = None) -> Span:
    start = text.index(word)
    return Span(start, start + len(word), "PERSOON", score, "UnknownCapitalisedRecognizer", case)


def words_of(text: str, spans: list[Span]) -> list[str]:
    return [text[s.start:s.end] for s in spans]


@pytest.mark.parametrize(("text", "found", "expected"), [
    ("De premier Ehud Barak trad af.", "Ehud", "Ehud Barak"),      # right: even a Dutch word ("barak")
    ("Ook niet van Xhevat Alloo vandaag.", "Alloo", "Xhevat Alloo"),  # left: a word that is no Dutch word
    ("Ik sprak Jan Piet Klaassen gisteren.", "Jan", "Jan Piet Klaassen"),
])
def test_a_person_name_is_continued_to_the_capitalised_words_touching_it(text, found, expected):
    assert words_of(text, continue_names(text, [person(text, found)], lexicon())) == [expected]


@pytest.mark.parametrize(("text", "found"), [
    ("Dat zei Sanne. Morgen kom ik terug.", "Sanne"),            # a new sentence after the name
    ("Dat zei Sanne, Utrecht is ver.", "Sanne"),                   # a comma separates
    ("Ik heb het aan Sanne gevraagd.", "Sanne"),                   # no capital after it
    ("Volgens de Voedselbank Sanne niet.", "Sanne"),              # to the left only a word that is no Dutch word
])
def test_a_person_name_is_not_continued_past_its_sentence_or_onto_ordinary_words(text, found):
    assert words_of(text, continue_names(text, [person(text, found)], lexicon())) == [found]


def test_a_case_span_and_a_place_are_never_continued():
    text = "Ik woon met Sanne Jansen Utrecht uit."
    sanne = person(text, "Sanne", 0.9, "[INWONER]")
    assert continue_names(text, [sanne], lexicon()) == [sanne]
    place = Span(text.index("Utrecht"), text.index("Utrecht") + 7, "LOCATIE", 0.8, "NlPlaceRecognizer")
    assert continue_names(text, [place], lexicon()) == [place]


def _propagate(texts: list[str], spans_per_text: list[list[Span]]) -> list[list[str]]:
    words = name_words(texts, spans_per_text, lexicon())
    return [words_of(t, propagate_names(t, s, words, lexicon(), _propagated)) for t, s in zip(texts, spans_per_text)]


def test_a_name_found_in_one_turn_is_redacted_where_it_recurs():
    first = "Gisteren kwam Foday Sankoh langs."
    texts = [first, "Sankoh is even slecht als de rest.", "Ik vroeg het aan Sankoh zelf."]
    assert _propagate(texts, [[person(first, "Foday Sankoh")], [], []]) == [["Foday Sankoh"], ["Sankoh"], ["Sankoh"]]


def test_a_propagated_span_says_where_it_came_from_and_keeps_the_score():
    texts = ["Ik zag Rajkamur.", "Rajkamur werd bedreigd."]
    words = name_words(texts, [[person(texts[0], "Rajkamur", 0.62)], []], lexicon())
    [span] = propagate_names(texts[1], [], words, lexicon(), _propagated)
    assert (span.recognizer, span.score, span.evidence) == ("NamePropagation", 0.62, ("NamePropagation:PERSOON:0.62",))


@pytest.mark.parametrize(("later", "expected"), [
    ("Groot was het huis niet.", []),                    # an ordinary word at the start of a sentence
    ("Dat zegt Groot zelf ook.", ["Groot"]),             # but capitalised inside a sentence it is the name
    ("Het is een groot huis.", []),                      # never a lower-case word
    ("Grootte doet er niet toe.", []),                   # never part of a longer word
    ("Dat vindt Els ook.", ["Els"]),                     # the first name too
])
def test_an_ordinary_word_in_a_name_is_followed_only_inside_a_sentence(later, expected):
    first = "Ik bel Els Groot morgen."
    assert _propagate([first, later], [[person(first, "Els Groot")], []])[1] == expected


def test_case_names_and_other_types_are_not_propagated():
    first = "Sanne woont in Oosterhout."
    spans = [person(first, "Sanne", 0.95, "[INWONER]"),
             Span(first.index("Oosterhout"), first.index("Oosterhout") + 10, "LOCATIE", 0.8, "NlPlaceRecognizer")]
    assert name_words([first], [spans], lexicon()) == {}


@pytest.mark.parametrize(("text", "expected"), [
    ("Het akkoord kwam er pas laat . ( KS )", ["KS"]),
    ("Einde van het stuk (PJB)", ["PJB"]),
    ("Verder niets . ( RoM )", ["RoM"]),
    ("Verslag van de middag\nJS\n", ["JS"]),
    ("Hulp via de gemeente (Wmo) en de GGZ (GGZ).", []),   # abbreviations hunspell knows
    ("Uitkering via het UWV (UWV) of (SVB).", []),
    ("Een besluit van de (EU) en de (VS).", []),           # listed two-letter abbreviations
    ("Er zijn (ab) twee opties (a).", []),                 # fewer than two capitals
    ("Hij zei OK en ging weg.", []),                       # not in brackets or alone on a line
])
def test_initials_in_brackets_or_alone_on_a_line(text, expected):
    found = InitialsRecognizer(lexicon()).analyze(text, ["PERSOON"])
    assert [text[r.start:r.end] for r in found] == expected


@pytest.mark.parametrize(("word", "is_word"), [
    ("Eigenlijk", True), ("Uiteindelijk", True), ("Herkomstgarantie", True), ("Uhm", True), ("Ehm", True),
    ("Delathouwer", False), ("Rajkamur", False), ("Arafat", False), ("Jansen", False),
])
def test_hunspell_knows_inflections_and_compounds_but_not_names(word, is_word):
    assert lexicon().is_word(word) is is_word


def _redacted(engine, text: str) -> list[str]:  # noqa: ANN001
    return [text[s.start:s.end] for s in engine.analyze(text, CASE)]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "word"), [
    ("Delathouwer zal daarvoor wel het akkoord moeten hebben.", "Delathouwer"),
    ("Rajkamur werd vorig jaar al bedreigd.", "Rajkamur"),
    ("Ze zei: Veerappan eiste het zelf.", "Veerappan"),
])
def test_an_unlisted_name_at_the_start_of_a_sentence_is_redacted(deid_engine, text, word):
    assert word in _redacted(deid_engine, text)


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Eigenlijk wil ik gewoon weer werken.",
    "Uiteindelijk heeft de huisarts me doorverwezen.",
    "Uhm, dat weet ik niet precies.",
    "Herkomstgarantie is een moeilijk woord.",
    "Tegenstrijdige berichten krijg ik van de gemeente.",
])
def test_an_ordinary_word_at_the_start_of_a_sentence_stays(deid_engine, text):
    assert _redacted(deid_engine, text) == []


@pytest.mark.slow
def test_deidentify_follows_a_name_across_the_turns_of_a_transcript(deid_engine):
    from pipeline.deid import deidentify
    from pipeline.transcript import Segment, Transcript, TranscriptSource

    # "barak" is a Dutch word: only the first turn shows it is a name here
    turns = ["Mijn buurman heet Ehud Barak.", "Gisteren hielp Barak me met de boodschappen.", "Dat doet Barak elke week."]
    transcript = Transcript(language="nl", duration=9.0, source=TranscriptSource(kind="text", filename="t.txt", sha256="0" * 64),
                            segments=[Segment(id=i + 1, start=i * 3.0, end=i * 3.0 + 3, text=t) for i, t in enumerate(turns)])
    result = deidentify(transcript, CASE, deid_engine)
    assert all("Barak" not in seg.text for seg in result.pseudonymised.segments), [s.text for s in result.pseudonymised.segments]
    assert any(e.recognizer == "NamePropagation" for e in result.pseudonymised.entities)


def test_the_lexicon_keeps_no_name_it_was_asked_about():
    lex = load_lexicon()
    assert lex.is_word("Eigenlijk") and not lex.is_word("Delathouwer")
    assert "eigenlijk" in lex._spelled and "delathouwer" not in lex._spelled


@pytest.mark.slow
def test_no_word_of_a_transcript_stays_cached_after_its_analysis(deid_engine):
    from pipeline.deid.words import word_tokens

    deid_engine.analyze_all(["Ik sprak Rajkamur gisteren.", "Rajkamur belde terug."], CASE)
    assert word_tokens.cache_info().currsize == 0
