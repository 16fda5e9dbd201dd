from __future__ import annotations

import pytest

from pipeline.case import CaseMetadata, Huisarts, Inwoner, Naaste, Professional
from pipeline.render.reidentify import letter_mapping, reidentify_text

CASE = CaseMetadata(
    inwoner=Inwoner(naam="Sanne de Vries"),
    naasten=[Naaste(naam="Eva de Vries")],
    professionals=[Professional(naam="Anna Bakker", rol="sociaal")],
    huisarts=Huisarts(naam="dr. Jansen"),
)


@pytest.mark.parametrize(
    ("placeholder", "original", "allowed"),
    [
        ("[PERSOON-1]", "Anna Bakker", True),
        ("[PERSOON-1]", "Anna", True),
        ("[PERSOON-1]", "mevrouw Bakker", True),
        ("[PERSOON-1]", "Jansen", True),
        ("[INWONER]", "Sanne", True),
        ("[PERSOON-2]", "Piet Buurman", False),
        ("[PERSOON-2]", "Anna Smit", False),
        ("[ADRES-1]", "Dorpsstraat 1", False),
        ("[TELEFOON-1]", "06-12345678", False),
        ("[BSN-1]", "123456782", False),
    ],
)
def test_letter_mapping_keeps_only_participant_names(placeholder: str, original: str, allowed: bool) -> None:
    assert (placeholder in letter_mapping(CASE, {placeholder: original})) is allowed


def test_inwoner_placeholder_falls_back_to_the_case_name() -> None:
    assert letter_mapping(CASE, {}) == {"[INWONER]": "Sanne de Vries"}
    assert letter_mapping(CaseMetadata(), {}) == {}


def test_reidentify_text_replaces_only_allowed_placeholders() -> None:
    text = "[PERSOON-1] belt [INWONER] over [ADRES-1]."
    assert reidentify_text(text, {"[PERSOON-1]": "Anna", "[INWONER]": "Sanne"}) == "Anna belt Sanne over [ADRES-1]."


def test_role_placeholders_of_professionals_are_replaced_too() -> None:
    # the case's professionals get role placeholders; the letter shows their names (found in the demo
    # letter: "Wie: [PROFESSIONAL-SOCIAAL]" after the evidence mode quoted the duo's own sentences)
    allowed = letter_mapping(CASE, {"[PROFESSIONAL-SOCIAAL]": "Anna Bakker", "[DATUM-2]": "12 maart"})
    assert reidentify_text("[PROFESSIONAL-SOCIAAL] belt op [DATUM-2].", allowed) == "Anna Bakker belt op [DATUM-2]."
