"""Tables of positive and negative cases for spoken structured data: postcodes, house numbers,
ages and dates as a speech recogniser writes them."""

from __future__ import annotations

import pytest

from pipeline.deid.recognizers.nl_age import NlAgeRecognizer
from pipeline.deid.recognizers.nl_house_number import NlHouseNumberRecognizer
from pipeline.deid.recognizers.nl_spoken_date import NlSpokenDateRecognizer, ordinal_value, year_value
from pipeline.deid.recognizers.nl_spoken_postcode import NlSpokenPostcodeRecognizer, validate


def found(recognizer, text: str, threshold: float = 0.4) -> list[str]:
    hits = {(r.start, r.end) for r in recognizer.analyze(text, recognizer.supported_entities) if r.score >= threshold}
    # the longest hit per start (a recognizer may propose a span and a part of it)
    longest = [h for h in hits if not any(o != h and o[0] <= h[0] and h[1] <= o[1] for o in hits)]
    return [text[s:e] for s, e in sorted(longest)]


@pytest.mark.parametrize("digits,letters,ok", [("5212", "XN", True), ("1011", "ab", True), ("0123", "AB", False),
                                               ("5212", "SS", False), ("521", "XN", False), ("5212", "X", False)])
def test_postcode_validate(digits, letters, ok):
    assert validate(digits, letters) is ok


@pytest.mark.parametrize("text,expected", [
    ("mijn postcode is vijf twee één twee X N", ["vijf twee één twee X N"]),
    ("vijf twee één twee iks en en dan het huisnummer", ["vijf twee één twee iks en"]),
    ("ik woon op 5212 xray november", ["5212 xray november"]),
    ("tweeënvijftig twaalf x n", ["tweeënvijftig twaalf x n"]),
    ("postcode vijf twee één twee Anton Bernard", ["vijf twee één twee Anton Bernard"]),
    ("het is 5212XN in Den Bosch", ["5212XN"]),
    ("postcode is 5212, verder weet ik het niet", ["5212"]),
    ("in 2019 en er was niks aan de hand", []),  # two letter names that are ordinary words
    ("ik heb 1200 euro schuld", []),
    ("vijf twee één twee", []),  # digits without letters and without "postcode"
    ("0123 AB bestaat niet", []),  # a postcode never starts with 0
    ("4000 SA is nooit uitgegeven", []),
    ("in 2020 is het gebeurd", []),  # "is" written in lower case is a word, not letters
])
def test_spoken_postcode(text, expected):
    assert found(NlSpokenPostcodeRecognizer(), text) == expected


@pytest.mark.parametrize("text,expected", [
    ("ik woon op nummer 140a", ["140a"]),
    ("ik woon op 140a", ["140a"]),
    ("Dorpsstraat 12 bis", ["12 bis"]),
    ("Kerkstraat 12-2 driehoog", ["12-2"]),
    ("op nummer twaalf bis", ["twaalf bis"]),
    ("huisnummer honderdveertig a en de postcode", ["honderdveertig a"]),
    ("nummer veertien letter b", ["veertien letter b"]),
    ("hij werd 2e bij de wedstrijd", []),
    ("ik heb 4x gebeld", []),
    ("een 3d film", []),
    ("om 10u begint het", []),
    ("het kost 10 euro", []),
    ("nummer een van de lijst", []),  # "een" alone is the article
])
def test_house_number(text, expected):
    assert found(NlHouseNumberRecognizer(), text) == expected


@pytest.mark.parametrize("text,expected", [
    ("hij is tweeëntwintig", ["tweeëntwintig"]),
    ("mijn moeder is 58 jaar", ["58 jaar"]),
    ("ze werd 58 vorige week", ["58"]),
    ("een jongen van 58", ["58"]),
    ("een meisje van twaalf jaar.", ["twaalf jaar"]),
    ("leeftijd: 58", ["58"]),
    ("die is nu al 40 jaar", ["40 jaar"]),
    ("ik ben achtenvijftig", ["achtenvijftig"]),
    ("hij is twee keer geweest", []),
    ("hij is een goede vriend", []),
    ("ze is drie jaar geleden verhuisd", []),
    ("een contract van twee jaar met de gemeente", []),
    ("het is 58 euro", []),
])
def test_age(text, expected):
    assert found(NlAgeRecognizer(), text) == expected


@pytest.mark.parametrize("word,value", [("vijftiende", 15), ("eerste", 1), ("derde", 3), ("achtste", 8),
                                        ("eenentwintigste", 21), ("3e", 3), ("tafel", None)])
def test_ordinal_value(word, value):
    assert ordinal_value(word) == value


@pytest.mark.parametrize("words,value", [("negentien vijfentachtig", 1985), ("twintig tweeëntwintig", 2022),
                                         ("tweeduizend drie", 2003), ("negentienhonderdzestig", 1960),
                                         ("drie vier", None), ("zeventien tachtig", None)])
def test_year_value(words, value):
    assert year_value(words) == value


@pytest.mark.parametrize("text,expected", [
    ("ik ben geboren op veertien maart negentien vijfentachtig", ["veertien maart negentien vijfentachtig"]),
    ("drie mei twintig tweeëntwintig was het", ["drie mei twintig tweeëntwintig"]),
    ("op de vijftiende van de derde", ["de vijftiende van de derde"]),
    ("de eerste van de twaalfde negentienhonderdzestig", ["de eerste van de twaalfde negentienhonderdzestig"]),
    ("de 15e van de 3e", ["de 15e van de 3e"]),
    ("geboren op vijftien drie vijfentachtig", ["vijftien drie vijfentachtig"]),
    ("een van de drie kinderen", []),
    ("de tweede van de klas", []),
    ("de derde van de vijf", []),
    ("vijf maart was leuk", []),  # a day and month without a two-word year: nl_date's job
])
def test_spoken_date(text, expected):
    assert found(NlSpokenDateRecognizer(), text) == expected


@pytest.mark.parametrize("text,expected", [
    ("ja tweeënvijftig eenenzestig ee aa, dat klopt", ["tweeënvijftig eenenzestig ee aa"]),  # number words: ambiguous letters count
    ("in 2019 ee aa", []),  # digits written as digits: two ambiguous letter names need "postcode"
])
def test_spoken_postcode_ambiguous_letters(text, expected):
    assert found(NlSpokenPostcodeRecognizer(), text) == expected


@pytest.mark.parametrize("text,expected", [
    ("mijn vader werd vorige maand tachtig", ["tachtig"]),
    ("mijn vader werd vorige maand ziek", []),
])
def test_age_after_time_phrase(text, expected):
    assert found(NlAgeRecognizer(), text) == expected
