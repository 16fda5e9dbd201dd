"""Recognizer registry: YAML names -> factories. Case-dependent recognizers are built per call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from presidio_analyzer import EntityRecognizer

from pipeline.deid.lexicon import Lexicon
from pipeline.deid.recognizers.email_url import EmailRecognizer, SpokenEmailRecognizer, UrlRecognizer
from pipeline.deid.recognizers.initials import InitialsRecognizer
from pipeline.deid.recognizers.iban import IbanRecognizer, SpokenIbanRecognizer
from pipeline.deid.recognizers.name_context import ContextNameRecognizer
from pipeline.deid.recognizers.name_lists import NameListRecognizer
from pipeline.deid.recognizers.nl_address import NlAddressRecognizer
from pipeline.deid.recognizers.nl_age import NlAgeRecognizer
from pipeline.deid.recognizers.nl_bsn import NlBsnRecognizer
from pipeline.deid.recognizers.nl_care_id import NlCareIdRecognizer
from pipeline.deid.recognizers.nl_date import NlDateRecognizer
from pipeline.deid.recognizers.nl_license_plate import NlLicensePlateRecognizer
from pipeline.deid.recognizers.nl_phone import NlPhoneRecognizer
from pipeline.deid.recognizers.nl_place import NlPlaceRecognizer
from pipeline.deid.recognizers.institutions import InstitutionRecognizer
from pipeline.deid.recognizers.nl_house_number import NlHouseNumberRecognizer
from pipeline.deid.recognizers.nl_postcode import NlPostcodeRecognizer
from pipeline.deid.recognizers.nl_spoken_date import NlSpokenDateRecognizer
from pipeline.deid.recognizers.nl_spoken_postcode import NlSpokenPostcodeRecognizer
from pipeline.deid.recognizers.unknown_capitalised import UnknownCapitalisedRecognizer

#: Recognizers whose construction needs the case (built per call) or a heavy model.
PER_CALL = {"case_names", "deduce", "ner"}

STATIC: dict[str, Callable[[Lexicon], EntityRecognizer]] = {
    "name_lists": lambda lex: NameListRecognizer(lex),
    "unknown_capitalised": lambda lex: UnknownCapitalisedRecognizer(lex),
    "name_context": lambda lex: ContextNameRecognizer(lex),
    "initials": lambda lex: InitialsRecognizer(lex),
    "bsn": lambda lex: NlBsnRecognizer(),
    "phone": lambda lex: NlPhoneRecognizer(),
    "iban": lambda lex: IbanRecognizer(),
    "spoken_iban": lambda lex: SpokenIbanRecognizer(),
    "postcode": lambda lex: NlPostcodeRecognizer(),
    "spoken_postcode": lambda lex: NlSpokenPostcodeRecognizer(),
    "address": lambda lex: NlAddressRecognizer(),
    "house_number": lambda lex: NlHouseNumberRecognizer(),
    "license_plate": lambda lex: NlLicensePlateRecognizer(),
    "email": lambda lex: EmailRecognizer(),
    "spoken_email": lambda lex: SpokenEmailRecognizer(),
    "url": lambda lex: UrlRecognizer(),
    "care_id": lambda lex: NlCareIdRecognizer(),
    "date": lambda lex: NlDateRecognizer(),
    "spoken_date": lambda lex: NlSpokenDateRecognizer(),
    "age": lambda lex: NlAgeRecognizer(),
    "places": lambda lex: NlPlaceRecognizer(lex),
    "institutions": lambda lex: InstitutionRecognizer(lex),
}

#: Steps of the engine itself, switched on and off in the same list: ``name_spread`` continues and
#: propagates detected person names (:mod:`pipeline.deid.name_spread`).
ENGINE_STEPS = {"name_spread"}

KNOWN = set(STATIC) | PER_CALL | ENGINE_STEPS

ENTITY_TYPES = [
    "PERSOON", "LOCATIE", "INSTELLING", "ADRES", "POSTCODE", "DATUM", "LEEFTIJD", "BSN", "TELEFOON",
    "EMAIL", "IBAN", "URL", "KENTEKEN", "ID",
]


def build_static(names: list[str], lexicon: Lexicon) -> list[Any]:
    return [STATIC[n](lexicon) for n in names if n in STATIC]
