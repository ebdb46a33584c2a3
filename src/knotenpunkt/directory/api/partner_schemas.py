"""Request and answer shapes of the partner API (pydantic, through django-ninja).

An offer's editable content has the shape of the review queue's snapshot
(:mod:`knotenpunkt.directory.revisions`); ids are the HSDS ids (UUIDs) everywhere. A proposed
change names only the fields it changes: what it leaves out stays as it is, a list it names
(topics, locations …) replaces the whole list.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, ClassVar, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_email
from ninja import Field, Schema
from pydantic import AfterValidator, model_validator

from knotenpunkt.directory.models import PREGNANCY_START_MONTHS

#: Ages beyond 100 years are typing mistakes.
MAX_AGE_MONTHS = 1200
LONG_TEXT = 10_000


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("Enter a valid e-mail address.") from None
    return value


def _web_address(value: str) -> str:
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except DjangoValidationError:
            raise ValueError("Enter a valid web address (http:// or https://).") from None
    return value


Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]
WebAddress = Annotated[str, Field(max_length=500), AfterValidator(_web_address)]
ShortText = Annotated[str, Field(max_length=250)]
LongText = Annotated[str, Field(max_length=LONG_TEXT)]
Months = Annotated[int, Field(ge=PREGNANCY_START_MONTHS, le=MAX_AGE_MONTHS)]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]
Phone = Annotated[str, Field(min_length=1, max_length=50)]

Status = Literal["active", "inactive", "defunct", "temporarily closed"]
CostType = Literal["free", "reduced", "fee"]
Visibility = Literal["public", "professionals"]
TranslationLanguage = Literal["en", "tr", "ar", "uk", "ru"]
Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU", ""]


class Translation(Schema):
    """An offer's text in another language (German is the offer's own text)."""

    name: ShortText = ""
    alternate_name: ShortText = ""
    description: LongText = ""
    application_process: LongText = ""
    eligibility_description: LongText = ""
    fees_description: LongText = ""


class LocationIn(Schema):
    """Where the offer takes place. ``id`` names one of the organisation's locations; without
    it a new location is proposed."""

    id: uuid.UUID | None = None
    name: ShortText = ""
    address_1: ShortText = ""
    address_2: ShortText = ""
    postal_code: Annotated[str, Field(max_length=20)] = ""
    city: Annotated[str, Field(max_length=120)] = ""
    state_province: Annotated[str, Field(max_length=120)] = ""
    area_id: uuid.UUID | None = Field(None, description="A place (Area) of the tenant.")
    confidential: bool = Field(
        False, description="The address is never published (e.g. a women's shelter)."
    )
    barrier_free: bool = False
    phones: list[Phone] = Field(default_factory=list, max_length=10)


class ScheduleIn(Schema):
    """Weekly opening hours: a weekday with opening and closing time, or a note."""

    weekday: Weekday = ""
    opens: dt.time | None = None
    closes: dt.time | None = None
    description: Annotated[str, Field(max_length=1000)] = ""


class OfferFields(Schema):
    """The editable content of an offer; in a change, only the fields given are changed."""

    name: Annotated[str, Field(min_length=1, max_length=250)] | None = None
    alternate_name: ShortText | None = None
    description: LongText | None = None
    application_process: LongText | None = None
    eligibility_description: LongText | None = None
    fees_description: LongText | None = None
    url: WebAddress | None = None
    email: Email | None = None
    status: Status | None = None
    min_age_months: Months | None = Field(
        None, description="Age of the child in months, from pregnancy (-9); inclusive."
    )
    max_age_months: Months | None = Field(None, description="Inclusive.")
    cost_type: CostType | None = None
    visibility: Visibility | None = None
    topics: list[uuid.UUID] | None = Field(None, max_length=50, description="Topic ids.")
    life_phases: list[Annotated[str, Field(max_length=40)]] | None = Field(
        None, max_length=20, description="Life phase codes, e.g. age_0_1."
    )
    languages: list[LanguageCode] | None = Field(None, max_length=30)
    translations: dict[TranslationLanguage, Translation] | None = None
    locations: list[LocationIn] | None = Field(None, max_length=20)
    schedules: list[ScheduleIn] | None = Field(None, max_length=50)
    phone: Annotated[str, Field(max_length=50)] | None = None
    contact_name: Annotated[str, Field(max_length=200)] | None = None
    contact_email: Email | None = None
    responsible_id: uuid.UUID | None = Field(
        None, description="The person who is reminded to verify the offer."
    )

    #: Fields that may be set to null (to clear them); the others need a value when given.
    NULLABLE: ClassVar[frozenset[str]] = frozenset(
        {"min_age_months", "max_age_months", "responsible_id"}
    )

    @model_validator(mode="after")
    def _no_null_for_required(self) -> OfferFields:
        for name in self.model_fields_set:
            if getattr(self, name) is None and name not in self.NULLABLE:
                raise ValueError(f"{name} may not be null; leave it out to keep it.")
        low, high = self.min_age_months, self.max_age_months
        if low is not None and high is not None and high < low:
            raise ValueError("max_age_months must not be below min_age_months.")
        return self


class OfferChangeIn(OfferFields):
    """A proposed change of an offer: the fields to change and a note for the coordinator."""

    comment: Annotated[str, Field(max_length=2000)] = ""


class OfferNewIn(OfferFields):
    """A proposed new offer of one of the caller's organisations."""

    organisation_id: uuid.UUID
    name: Annotated[str, Field(min_length=1, max_length=250)]
    comment: Annotated[str, Field(max_length=2000)] = ""


class OrganisationOut(Schema):
    id: uuid.UUID
    name: str


class OfferSummaryOut(Schema):
    """An offer as listed: who provides it, its state, how fresh it is."""

    id: uuid.UUID
    organisation: OrganisationOut
    name: str
    status: Status
    visibility: Visibility
    freshness: Literal["fresh", "due", "overdue", "hidden"]
    last_verified_at: dt.datetime | None
    updated_at: dt.datetime
    version: int
    pending_revisions: int


class LocationOut(Schema):
    id: uuid.UUID | None
    name: str
    address_1: str
    address_2: str
    postal_code: str
    city: str
    state_province: str
    area_id: uuid.UUID | None
    confidential: bool
    barrier_free: bool
    phones: list[str]


class ScheduleOut(Schema):
    weekday: str
    opens: str
    closes: str
    description: str


class OfferOut(OfferSummaryOut):
    """An offer with everything a partner can change."""

    alternate_name: str
    description: str
    application_process: str
    eligibility_description: str
    fees_description: str
    url: str
    email: str
    min_age_months: int | None
    max_age_months: int | None
    cost_type: CostType
    topics: list[uuid.UUID]
    life_phases: list[str]
    languages: list[str]
    translations: dict[str, dict[str, str]]
    locations: list[LocationOut]
    schedules: list[ScheduleOut]
    phone: str
    contact_name: str
    contact_email: str
    responsible_id: uuid.UUID | None


class RevisionOut(Schema):
    """A proposal and what became of it."""

    id: uuid.UUID
    offer_id: uuid.UUID | None = Field(description="None for a proposed new offer.")
    organisation: OrganisationOut
    name: str
    status: Literal["pending", "approved", "rejected", "withdrawn"]
    proposed_at: dt.datetime
    proposed_by_me: bool
    comment: str
    base_version: int | None
    reviewed_at: dt.datetime | None
    review_note: str


class RevisionDetailOut(RevisionOut):
    data: dict[str, Any] = Field(description="The proposed content (the review snapshot).")


class Paged(Schema):
    count: int
    page: int
    per_page: int


class OfferPage(Paged):
    items: list[OfferSummaryOut]


class RevisionPage(Paged):
    items: list[RevisionOut]


class ErrorOut(Schema):
    detail: Any
