"""Names nobody listed: a capitalised word inside a sentence that is not Dutch is redacted; the
allow-listed brands, services, medication and sociale-kaart names, ordinary words and sentence
starts are not (issue 15)."""

from __future__ import annotations

import pytest

from pipeline.case import CaseMetadata

CASE = CaseMetadata()


def _redacted(engine, text: str) -> list[str]:  # noqa: ANN001
    return [text[s.start:s.end] for s in engine.analyze(text, CASE)]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "word"), [
    ("Ik heb het daarna met Rajkamur besproken.", "Rajkamur"),
    ("Gisteren kwam Sankoh nog langs om te helpen.", "Sankoh"),
    ("De buurjongen, Tiemen, doet de boodschappen.", "Tiemen"),
    ("Volgens Brogno moet ik eerst naar de huisarts.", "Brogno"),
])
def test_an_unlisted_name_inside_a_sentence_is_redacted(deid_engine, text: str, word: str) -> None:
    assert any(word in found for found in _redacted(deid_engine, text))


@pytest.mark.slow
def test_an_employer_stays_identifying(deid_engine) -> None:
    assert any("Albert Heijn" in found for found in _redacted(deid_engine, "Ik werk bij Albert Heijn in het distributiecentrum."))


@pytest.mark.slow
@pytest.mark.parametrize(("text", "word"), [
    ("Ik stuur je de afspraak via WhatsApp en via DigiD kun je inloggen.", "WhatsApp"),
    ("Ik stuur je de afspraak via WhatsApp en via DigiD kun je inloggen.", "DigiD"),
    ("Ze betaalt met Tikkie en verkoopt spullen op Marktplaats.", "Marktplaats"),
    ("Hij kijkt de hele avond Netflix en speelt Fortnite.", "Netflix"),
    ("Er ligt een brief van de Belastingdienst over Toeslagen.", "Belastingdienst"),
    ("De huisarts schreef Elvanse en paracetamol voor.", "Elvanse"),
    ("Bij het Leger des Heils en MIND Korrelatie kun je terecht.", "Leger des Heils"),
    ("Goed, dan spreken we dat zo af.", "Goed"),
    ("Het gaat over Positieve Gezondheid en over Werk.", "Positieve Gezondheid"),
])
def test_allow_listed_and_ordinary_words_stay(deid_engine, text: str, word: str) -> None:
    assert not any(word in found or found in word for found in _redacted(deid_engine, text)), _redacted(deid_engine, text)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "identifier"), [
    ("Op https://www.facebook.com/sandra.dewit.1985 staan foto's.", "https://www.facebook.com/sandra.dewit.1985"),
    ("Mail naar sandra.dewit@gmail.com als het kan.", "sandra.dewit@gmail.com"),
])
def test_an_allow_listed_brand_never_makes_a_hole_in_an_address_on_the_internet(deid_engine, text: str, identifier: str) -> None:
    assert identifier in _redacted(deid_engine, text)
