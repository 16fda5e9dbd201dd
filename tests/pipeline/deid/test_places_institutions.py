"""Tables for place names, institutions, spoken IBANs and dictated e-mail addresses (no Deduce)."""

from __future__ import annotations

from functools import lru_cache

import pytest

from pipeline.deid.lexicon import load_lexicon
from pipeline.deid.recognizers.email_url import SpokenEmailRecognizer
from pipeline.deid.recognizers.iban import SpokenIbanRecognizer
from pipeline.deid.recognizers.institutions import InstitutionRecognizer
from pipeline.deid.recognizers.nl_care_id import NlCareIdRecognizer
from pipeline.deid.recognizers.nl_place import NlPlaceRecognizer


@lru_cache(maxsize=1)
def lexicon():
    return load_lexicon()


@lru_cache(maxsize=1)
def places():
    return NlPlaceRecognizer(lexicon())


def found(recognizer, text: str) -> list[str]:
    return [text[r.start : r.end] for r in recognizer.analyze(text, recognizer.supported_entities)]


@pytest.mark.parametrize("text,expected", [
    ("Ik woon in 's-Hertogenbosch.", ["'s-Hertogenbosch"]),
    ("ik woon eigenlijk in den bosch maar ik kom uit oss", ["den bosch", "oss"]),
    ("mijn zus woont in 't zandt in groningen", ["'t zandt", "groningen"]),
    ("We gingen van Zaltbommel naar Vught.", ["Zaltbommel", "Vught"]),
    ("Mijn broer woont in Goes.", ["Goes"]),  # also an English word: counts after "in"
    ("Hij woont nu in Ede bij zijn vader.", ["Ede"]),
    ("ze woont in de Meern", ["de Meern"]),
    # negatives: ordinary words that are also place names
    ("Het gaat best goed en ze doet haar best.", []),
    ("Hoe goes het, zei ze.", []),
    ("Dat is het beste wat we kunnen doen.", []),
    ("ik woon in de wijk bij het park", []),
    ("in best wel veel gevallen", []),
    ("Dat was in maart.", []),
    ("ik kom uit een groot gezin", []),
])
def test_places(text, expected):
    assert found(places(), text) == expected


@pytest.mark.parametrize("text,expected", [
    ("De kinderen zitten op basisschool De Regenboog.", ["De Regenboog"]),
    ("Via Stichting De Overloop krijg ik pakketten.", ["Stichting De Overloop"]),
    ("Ik werk op de Margrietschool als overblijfmoeder.", ["Margrietschool"]),
    ("Onze zoon gaat naar het Stedelijk Gymnasium.", ["Stedelijk Gymnasium"]),
    ("ik werkte bij Hendrix Transport als chauffeur", ["Hendrix Transport"]),
    ("Ik heb schoongemaakt voor Pietersen Schoonmaak BV.", ["Pietersen Schoonmaak BV"]),
    # negatives: institution words without a name
    ("Ik werk bij de gemeente, op de afdeling schuldhulp.", []),
    ("De school zegt dat het goed gaat.", []),
    ("Ik ga naar de kliniek voor een intake.", []),
    ("Het is een bv, geen stichting, zei hij.", []),
    ("Ik ben naar huis gegaan.", []),
])
def test_institutions(text, expected):
    assert sorted(set(found(InstitutionRecognizer(lexicon()), text))) == expected


@pytest.mark.parametrize("text,expected", [
    ("Mijn dossiernummer bij de schuldhulp is SH-20931.", ["SH-20931"]),
    ("het klantnummer bij de woningcorporatie is 4471823", ["4471823"]),
    ("Mijn relatienummer bij het UWV is UW 88213.", ["UW 88213"]),
    ("Haar BIG-nummer is 19012345601.", ["19012345601"]),  # "is" is no prefix of the code
    ("Mijn nummer bij de gemeente weet ik niet.", []),
    ("Het dossier is dik, wel 300 pagina's.", []),
])
def test_identifiers_in_context(text, expected):
    assert found(NlCareIdRecognizer(), text) == expected


@pytest.mark.parametrize("text,expected", [
    ("mijn rekeningnummer is en el negen een a b n a nul vier een zeven een zes vier drie nul nul",
     ["en el negen een a b n a nul vier een zeven een zes vier drie nul nul"]),
    ("dat is n l vier vier r a b o nul een twee drie vier vijf zes zeven acht negen",
     ["n l vier vier r a b o nul een twee drie vier vijf zes zeven acht negen"]),
    ("N L 91 ABNA 0417 1643 00", ["N L 91 ABNA 0417 1643 00"]),
    # negatives: last digit wrong (checksum fails), ordinary talk full of "en" and "een"
    ("en el negen een a b n a nul vier een zeven een zes vier drie nul een", []),
    ("en ik ga een keer naar de stad en een keer naar de markt", []),
    ("een a b c d, zo leer je het alfabet", []),
])
def test_spoken_iban(text, expected):
    assert found(SpokenIbanRecognizer(), text) == expected


@pytest.mark.parametrize("text,expected", [
    ("mijn mail is sanne punt de groot apenstaartje gmail punt com", ["sanne punt de groot apenstaartje gmail punt com"]),
    ("het adres is s punt degroot at ziggo punt nl", ["s punt degroot at ziggo punt nl"]),
    ("mail naar marja groot zesenvijftig at hotmail punt nl", ["marja groot zesenvijftig at hotmail punt nl"]),
    ("we zaten aan tafel punt", []),
    ("ze was op het werk en at daar een broodje", []),
])
def test_dictated_email(text, expected):
    assert found(SpokenEmailRecognizer(), text) == expected
