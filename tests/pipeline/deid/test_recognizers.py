"""Tables of positive and negative cases per recognizer (no Deduce: fast)."""

from __future__ import annotations

from functools import lru_cache

import pytest

from pipeline.case import CaseMetadata, Huisarts, Inwoner, Naaste, Professional
from pipeline.deid.case_people import case_organisations, case_people
from pipeline.deid.lexicon import load_lexicon
from pipeline.deid.recognizers.case_names import CaseNameRecognizer, CaseOrganisationRecognizer
from pipeline.deid.recognizers.email_url import EmailRecognizer, SpokenEmailRecognizer, UrlRecognizer
from pipeline.deid.recognizers.iban import IbanRecognizer, iban_checksum_ok
from pipeline.deid.recognizers.name_context import ContextNameRecognizer
from pipeline.deid.recognizers.nl_address import NlAddressRecognizer
from pipeline.deid.recognizers.nl_age import NlAgeRecognizer
from pipeline.deid.recognizers.nl_bsn import NlBsnRecognizer, elfproef
from pipeline.deid.recognizers.nl_care_id import NlCareIdRecognizer
from pipeline.deid.recognizers.nl_date import NlDateRecognizer
from pipeline.deid.recognizers.nl_license_plate import NlLicensePlateRecognizer
from pipeline.deid.recognizers.nl_phone import NlPhoneRecognizer
from pipeline.deid.recognizers.nl_postcode import NlPostcodeRecognizer
from pipeline.deid.spoken import spoken_number, word_value


@lru_cache(maxsize=1)
def lexicon():
    return load_lexicon()


def found(recognizer, text: str, threshold: float = 0.4) -> list[str]:
    return [text[r.start : r.end] for r in recognizer.analyze(text, recognizer.supported_entities) if r.score >= threshold]


@pytest.mark.parametrize("digits,ok", [("171973069", True), ("111222333", True), ("050260662", True),
                                       ("171973068", False), ("123456789", False), ("000000000", False)])
def test_elfproef(digits, ok):
    assert elfproef(digits) is ok


@pytest.mark.parametrize("text,expected", [
    ("Mijn BSN is 171973069.", ["171973069"]),
    ("burgerservicenummer 617.151.283 staat op de brief", ["617.151.283"]),
    ("mijn bsn is een zeven een negen zeven drie nul zes negen", ["een zeven een negen zeven drie nul zes negen"]),
    ("Het BSN is 0502 60 662.", ["0502 60 662"]),
    ("Mijn BSN is 171973068.", []),  # fails the elfproef
    ("Ik heb drie kinderen en een hond.", []),
    ("een twee drie, zo gaat dat", []),
])
def test_bsn(text, expected):
    assert found(NlBsnRecognizer(), text) == expected


@pytest.mark.parametrize("text,expected", [
    ("U kunt me bellen op 06-12345678.", ["06-12345678"]),
    ("Bel 06 48 27 91 35 maar", ["06 48 27 91 35"]),
    ("nummer nul zes twaalf vierendertig zesenvijftig achtenzeventig", ["nul zes twaalf vierendertig zesenvijftig achtenzeventig"]),
    ("Mijn werk heeft +31 6 2345 6789.", ["+31 6 2345 6789"]),
    ("bel 0031 6 87654321", ["0031 6 87654321"]),
    ("de praktijk 073-6123456", ["073-6123456"]),
    ("plus eenendertig zes een twee drie vier vijf zes zeven acht", ["plus eenendertig zes een twee drie vier vijf zes zeven acht"]),
    ("Ik heb een schuld van 12345 euro.", []),
    ("In 2019 en 2020 ging het slecht.", []),
])
def test_phone(text, expected):
    assert found(NlPhoneRecognizer(), text) == expected


@pytest.mark.parametrize("value,ok", [("NL91ABNA0417164300", True), ("NL91 ABNA 0417 1643 00", True),
                                      ("NL67INGB5742502604", True), ("NL91ABNA0417164301", False), ("XX00", False)])
def test_iban_checksum(value, ok):
    assert iban_checksum_ok(value) is ok


@pytest.mark.parametrize("text,expected", [
    ("Mijn rekeningnummer is NL91 ABNA 0417 1643 00.", ["NL91 ABNA 0417 1643 00"]),
    ("het iban is nl67ingb5742502604", ["nl67ingb5742502604"]),
    ("Het iban is NL91ABNA0417164301.", []),
])
def test_iban(text, expected):
    assert found(IbanRecognizer(), text) == expected


@pytest.mark.parametrize("text,expected", [
    ("5261 AB Vught", ["5261 AB"]), ("postcode 5213ZX dat klopt", ["5213ZX"]), ("postcode is 5211 jk", ["5211 jk"]),
    ("In 2019 op vakantie", []), ("1985 SS", []), ("0123 AB", []),
])
def test_postcode(text, expected):
    assert found(NlPostcodeRecognizer(), text) == expected


@pytest.mark.parametrize("text,expected", [
    ("we wonen op de Kerkstraat 14 in Vught", ["Kerkstraat 14"]),
    ("Het adres is Dorpsstraat 27b.", ["Dorpsstraat 27b"]),
    ("Onze flat staat aan het Burgemeester Loeffplein 40.", ["Burgemeester Loeffplein 40"]),
    ("Mijn postcode is 5211 JK, huisnummer 8.", ["8"]),
    ("We gaan de Samenwerkwijze gebruiken.", []),
    ("het straatwerk is klaar", []),
])
def test_address(text, expected):
    assert found(NlAddressRecognizer(), text) == expected


@pytest.mark.parametrize("text,expected", [
    ("kenteken XP-123-T", ["XP-123-T"]), ("mijn kenteken is 12-ABC-3", ["12-ABC-3"]), ("geboren 12-03-85", []),
])
def test_license_plate(text, expected):
    assert found(NlLicensePlateRecognizer(), text) == expected


@pytest.mark.parametrize("recognizer,text,expected", [
    (EmailRecognizer(), "mail naar k.dewit@hotmail.nl graag", ["k.dewit@hotmail.nl"]),
    (EmailRecognizer(), "het apenstaartje zit op het toetsenbord", []),
    (SpokenEmailRecognizer(), "mail naar sandra punt de wit at gmail punt com", ["sandra punt de wit at gmail punt com"]),
    (SpokenEmailRecognizer(), "ik was at home", []),
    (UrlRecognizer(), "zie www.emmaschrijft.nl voor meer", ["www.emmaschrijft.nl"]),
    (UrlRecognizer(), "Op https://www.facebook.com/x.y staat het.", ["https://www.facebook.com/x.y"]),
    (UrlRecognizer(), "Dat is een goede site.", []),
])
def test_email_url(recognizer, text, expected):
    assert found(recognizer, text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Het AGB-nummer van de praktijk is 01012345.", ["01012345"]),
    ("Mijn cliëntnummer is CL-448812.", ["CL-448812"]),
    ("Het nummer van de bus is 12.", []),
])
def test_care_id(text, expected):
    assert found(NlCareIdRecognizer(), text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Ik ben geboren op 14 maart 1985.", ["14 maart 1985"]),
    ("mijn geboortedatum is veertien maart negentienhonderdvijfentachtig", ["veertien maart negentienhonderdvijfentachtig"]),
    ("Mijn dochter is geboren op 02-07-2012.", ["02-07-2012"]),
    ("De zitting is op 3 december.", ["3 december"]),
    ("Volgende week dinsdag heb ik een afspraak.", []),
    ("Dat was in maart, geloof ik.", []),
])
def test_date(text, expected):
    assert found(NlDateRecognizer(), text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Ik ben veertig jaar en moe.", ["veertig jaar"]),
    ("Mijn moeder is 92 jaar.", ["92 jaar"]),
    ("ik ben 38 dus", ["38"]),
    ("Ik heb twee jaar geleden een burn-out gehad.", []),
    ("Ik ben een tijd weggeweest.", []),
    ("Ik slaap maar vier uur per nacht.", []),
])
def test_age(text, expected):
    assert found(NlAgeRecognizer(), text) == expected


@pytest.mark.parametrize("word,digits", [("nul", "0"), ("twaalf", "12"), ("vierendertig", "34"), ("tweeëntwintig", "22"), ("hond", None)])
def test_word_value(word, digits):
    assert word_value(word) == digits


@pytest.mark.parametrize("words,value", [("negentienhonderdvijfentachtig", 1985), ("tweeduizendvierentwintig", 2024), ("veertien", 14), ("kat", None)])
def test_spoken_number(words, value):
    assert spoken_number(words) == value


CASE = CaseMetadata(
    inwoner=Inwoner(naam="Sandra de Wit"),
    naasten=[Naaste(naam="Kees de Wit", relatie="partner")],
    professionals=[Professional(naam="Ahmed El Amrani", rol="sociaal"), Professional(naam="Marieke Jansen", rol="ggz")],
    huisarts=Huisarts(naam="R. Peeters"),
)


@pytest.mark.parametrize("text,expected", [
    ("Ik ben Sandra de Wit.", [("Sandra de Wit", "[INWONER]")]),
    ("Dat was Sandra's idee.", [("Sandra's", "[INWONER]")]),
    ("ja dus sandra zei", [("sandra", "[INWONER]")]),
    ("Sandra dewit, zo heet ik.", [("Sandra dewit", "[INWONER]")]),
    ("Dus Kees' werk loopt niet.", [("Kees'", "[NAASTE-1]")]),
    ("dokter peters had dat gestuurd", [("peters", "[HUISARTS]")]),
    ("dat weet ahmet beter", [("ahmet", "[PROFESSIONAL-SOCIAAL]")]),
    # Sandra and Kees share "de Wit": full and first names decide, a bare surname is ambiguous
    ("Mevrouw De Wit, vertelt u eens.", [("De Wit", None)]),
    ("Kees de Wit en Sandra de Wit", [("Kees de Wit", "[NAASTE-1]"), ("Sandra de Wit", "[INWONER]")]),
    ("Ik ben Kees de Wit.", [("Kees de Wit", "[NAASTE-1]")]),
    ("De was is wit en schoon.", []),
    ("Ik heb een sandwich gegeten.", []),
    ("Mail naar sandra.dewit@gmail.com of kijk op www.sandradewit.nl", []),  # left to e-mail/URL
])
def test_case_names(text, expected):
    rec = CaseNameRecognizer(case_people(CASE), lexicon())
    got = [(text[r.start : r.end], r.recognition_metadata.get("case_placeholder")) for r in rec.analyze(text, ["PERSOON"])]
    assert got == expected


FAMILY = CaseMetadata(
    inwoner=Inwoner(naam="Sanne de Groot"),
    naasten=[Naaste(naam="Marja de Groot", relatie="moeder"), Naaste(naam="Henk de Groot", relatie="vader")],
    professionals=[Professional(naam="Ruud de Groot", rol="ggz")],
    huisarts=Huisarts(naam="P. van Dijk", praktijk="Huisartsenpraktijk De Linde"),
)


@pytest.mark.parametrize("text,expected", [
    ("En ik ben Marja de Groot, de moeder van Sanne.", [("Marja de Groot", "[NAASTE-1]"), ("Sanne", "[INWONER]")]),
    ("Henk de Groot belde.", [("Henk de Groot", "[NAASTE-2]")]),
    ("marja de groot zei dat", [("marja de groot", "[NAASTE-1]")]),
    ("Mevrouw De Groot komt ook.", [("De Groot", None)]),  # Sanne or Marja: neutral, never a guess
    ("Meneer De Groot komt ook.", [("De Groot", None)]),  # Sanne (gender unknown), Henk or Ruud
    ("Dokter De Groot belt je.", [("De Groot", "[PROFESSIONAL-GGZ]")]),  # the only professional
    ("Dokter Van Dijk belt je.", [("Van Dijk", "[HUISARTS]")]),
    ("Sanne Marja", [("Sanne", "[INWONER]"), ("Marja", "[NAASTE-1]")]),
    ("Het is een grote groep.", []),
])
def test_shared_surname(text, expected):
    rec = CaseNameRecognizer(case_people(FAMILY), lexicon())
    got = [(text[r.start : r.end], r.recognition_metadata.get("case_placeholder")) for r in rec.analyze(text, ["PERSOON"])]
    assert got == expected


@pytest.mark.parametrize("text,expected", [
    ("Ik ben POH-ggz bij huisartsenpraktijk De Linde.", ["huisartsenpraktijk De Linde"]),
    ("Huisartsenpraktijk De Linde belt terug.", ["Huisartsenpraktijk De Linde"]),
    ("bij de praktijk de linde", ["de linde"]),
    ("De linde in de tuin bloeit.", []),
    ("onder de linde zitten", []),
])
def test_case_organisations(text, expected):
    orgs = case_organisations(FAMILY, lambda name: False)
    assert [o.placeholder for o in orgs] == ["[INSTELLING-1]"]
    rec = CaseOrganisationRecognizer(orgs)
    assert sorted({text[r.start : r.end] for r in rec.analyze(text, ["INSTELLING"])}, key=len)[-1:] == expected


def test_allow_listed_case_organisations_stay():
    case = CaseMetadata(professionals=[Professional(naam="A B", rol="sociaal", organisatie="Wijkteam 's-Hertogenbosch"),
                                       Professional(naam="C D", rol="ggz", organisatie="Huisartsenpraktijk De Linde (POH-ggz)")])
    orgs = case_organisations(case, lambda name: name.lower().startswith("wijkteam"))
    assert [(o.full_name, o.core, o.placeholder) for o in orgs] == [("Huisartsenpraktijk De Linde", "De Linde", "[INSTELLING-1]")]


@pytest.mark.parametrize("text,expected", [
    ("Mijn dochter Emma is net begonnen.", ["Emma"]),
    ("mijn zoon daan heeft adhd", ["daan"]),
    ("Mijn ex, Rob Hendriks, betaalt niet.", ["Rob Hendriks"]),
    ("De bewindvoerder, meneer Smeets, regelt het.", ["Smeets"]),
    ("Mijn dochter is twaalf.", []),
    ("Mijn man is bakker van beroep.", []),
    ("Mijn vriendin gaat mee naar de intake.", []),
])
def test_context_names(text, expected):
    assert found(ContextNameRecognizer(lexicon()), text) == expected
