"""Open Referral HSDS 3.0 objects as pydantic models (the subset this product reads and writes).

Field names follow the HSDS 3.0 JSON schema so that an exported file validates against it and an
HSDS file from another directory imports without mapping. Fields we do not use are ignored on
import (``extra="ignore"``); HSDS allows extension fields, and dropping them is safer than
rejecting a whole regional export. Nested objects follow the "service_full" shape of the HSDS
API (a service with its organization, service areas, attributes, contacts, ...).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class HSDSModel(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class TaxonomyTerm(HSDSModel):
    id: str
    name: str
    description: str = ""
    code: str | None = None
    parent_id: str | None = None
    taxonomy: str | None = None
    """Name of the taxonomy when ``taxonomy_id`` is not used (HSDS allows either)."""
    taxonomy_id: str | None = None
    language: str | None = None
    term_uri: str | None = None


class Attribute(HSDSModel):
    """Links a service (or other entity) to a taxonomy term; our Dutch profile lives here."""

    id: str
    link_id: str | None = None
    taxonomy_term_id: str | None = None
    link_type: str | None = None
    link_entity: str | None = None
    value: str | None = None
    taxonomy_term: TaxonomyTerm | None = None


class Language(HSDSModel):
    id: str
    service_id: str | None = None
    name: str | None = None
    code: str | None = None
    note: str | None = None


class Phone(HSDSModel):
    id: str
    number: str
    service_id: str | None = None
    organization_id: str | None = None
    contact_id: str | None = None
    location_id: str | None = None
    service_at_location_id: str | None = None
    extension: float | None = None
    type: str | None = None
    description: str | None = None


class Contact(HSDSModel):
    id: str
    service_id: str | None = None
    organization_id: str | None = None
    name: str | None = None
    title: str | None = None
    department: str | None = None
    email: str | None = None
    phones: list[Phone] = Field(default_factory=list)


class Address(HSDSModel):
    id: str
    address_1: str
    city: str
    state_province: str = ""
    postal_code: str = ""
    country: str = "NL"
    address_type: Literal["physical", "postal", "virtual"] = "physical"
    location_id: str | None = None
    attention: str | None = None
    address_2: str | None = None
    region: str | None = None


class Schedule(HSDSModel):
    id: str
    service_id: str | None = None
    location_id: str | None = None
    service_at_location_id: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    freq: Literal["WEEKLY", "MONTHLY"] | None = None
    byday: str | None = None
    opens_at: str | None = None
    closes_at: str | None = None
    description: str | None = None
    attending_type: str | None = None
    notes: str | None = None


class Location(HSDSModel):
    id: str
    location_type: Literal["physical", "postal", "virtual"] = "physical"
    url: str | None = None
    organization_id: str | None = None
    name: str | None = None
    description: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    addresses: list[Address] = Field(default_factory=list)
    phones: list[Phone] = Field(default_factory=list)
    schedules: list[Schedule] = Field(default_factory=list)


class ServiceAtLocation(HSDSModel):
    id: str
    service_id: str | None = None
    location_id: str | None = None
    description: str | None = None
    location: Location | None = None
    phones: list[Phone] = Field(default_factory=list)
    schedules: list[Schedule] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)


class ServiceArea(HSDSModel):
    id: str
    service_id: str | None = None
    name: str | None = None
    """In the Dutch profile: a gemeente name, a region slug, or ``landelijk``."""
    description: str | None = None
    extent: str | None = None
    extent_type: str | None = None
    uri: str | None = None


class CostOption(HSDSModel):
    id: str
    service_id: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    option: str | None = None
    currency: str | None = None
    amount: float | None = None
    amount_description: str | None = None


class Organization(HSDSModel):
    id: str
    name: str
    description: str = ""
    email: str | None = None
    website: str | None = None
    phones: list[Phone] = Field(default_factory=list)


class MetadataRecord(HSDSModel):
    """HSDS ``metadata``: provenance of a change (we record where each seed row came from)."""

    id: str
    resource_id: str | None = None
    resource_type: str | None = None
    last_action_date: str = ""
    last_action_type: str = ""
    field_name: str = ""
    previous_value: str = ""
    replacement_value: str = ""
    updated_by: str = ""


ServiceStatus = Literal["active", "inactive", "defunct", "temporarily closed"]


class Service(HSDSModel):
    """An HSDS 3.0 service with its related objects nested (the ``service_full`` shape)."""

    id: str
    name: str
    status: ServiceStatus = "active"
    organization_id: str | None = None
    alternate_name: str | None = None
    description: str | None = None
    url: str | None = None
    email: str | None = None
    application_process: str | None = None
    fees_description: str | None = None
    eligibility_description: str | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    assured_date: dt.date | None = None
    assurer_email: str | None = None
    alert: str | None = None
    last_modified: dt.datetime | None = None
    organization: Organization | None = None
    phones: list[Phone] = Field(default_factory=list)
    schedules: list[Schedule] = Field(default_factory=list)
    service_areas: list[ServiceArea] = Field(default_factory=list)
    service_at_locations: list[ServiceAtLocation] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=list)
    cost_options: list[CostOption] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    attributes: list[Attribute] = Field(default_factory=list)
    metadata: list[MetadataRecord] = Field(default_factory=list)
