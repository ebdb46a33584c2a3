"""The printed guide's content as plain data, and how it is arranged (no database in here).

An offer's full entry appears once, in the first of its life phases that the booklet covers;
every later phase of the offer lists it under "see also" with a page reference, so that a
parent reading the chapter for their child's age finds every offer without the booklet
repeating whole entries. Within a life phase, offers are grouped by their first topic.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    """Where an offer is delivered. A confidential place has no address lines at all."""

    name: str
    address_lines: tuple[str, ...]
    confidential: bool = False
    barrier_free: bool = False
    phones: tuple[str, ...] = ()
    hours: tuple[str, ...] = ()


@dataclass(frozen=True)
class Text:
    """A text and the language it is written in (``de`` where no translation exists)."""

    value: str
    language: str


@dataclass(frozen=True)
class OfferEntry:
    """One offer as the booklet prints it; texts already in the booklet's language."""

    uuid: str
    name: Text
    provider: str
    description: Text
    eligibility: Text
    application: Text
    fees: Text
    #: Whether the texts are in the booklet's language (else German, with a note).
    translated: bool
    age: str
    cost: str
    languages: tuple[str, ...]
    places: tuple[Place, ...]
    hours: tuple[str, ...]
    phones: tuple[str, ...]
    contacts: tuple[str, ...]
    email: str
    website: str
    #: The offer's page in the online guide (the QR code's target).
    online_url: str
    #: Codes of the offer's life phases, in the order of the life course.
    phases: tuple[str, ...]
    #: Keys of the offer's topics (see :class:`Topic`), most important first.
    topics: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return f"offer-{self.uuid}"


@dataclass(frozen=True)
class Topic:
    key: str
    name: str
    position: int


@dataclass(frozen=True)
class Phase:
    code: str
    label: str


@dataclass
class TopicGroup:
    topic: Topic
    offers: list[OfferEntry] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"topic-{self.topic.key}"


@dataclass
class Section:
    """A chapter of the booklet: one life phase."""

    phase: Phase
    groups: list[TopicGroup] = field(default_factory=list)
    #: Offers of this phase whose full entry stands in an earlier chapter.
    see_also: list[OfferEntry] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"phase-{self.phase.code}"

    @property
    def offer_count(self) -> int:
        return sum(len(group.offers) for group in self.groups)


@dataclass
class Booklet:
    """Everything the printed guide shows; :mod:`.rendering` only lays it out."""

    title: str
    subtitle: str
    tenant_name: str
    brand_colour: str
    edition: str
    date: datetime.date
    language: str
    language_name: str
    area_name: str
    phase_label: str
    guide_url: str
    office_name: str = ""
    office_address: tuple[str, ...] = ()
    office_phone: str = ""
    office_email: str = ""
    sections: list[Section] = field(default_factory=list)
    index: list[OfferEntry] = field(default_factory=list)

    @property
    def offer_count(self) -> int:
        return len(self.index)

    @property
    def untranslated_count(self) -> int:
        return sum(1 for offer in self.index if not offer.translated)


#: The chapter for offers that name no life phase.
NO_PHASE = "all"
#: The group for offers that name no topic.
NO_TOPIC = "other"


def arrange(
    offers: Iterable[OfferEntry],
    *,
    phases: Sequence[Phase],
    topics: Sequence[Topic],
    only_phase: str | None = None,
    no_phase_label: str = "",
    no_topic_name: str = "",
) -> tuple[list[Section], list[OfferEntry]]:
    """Sorts ``offers`` into chapters by life phase and groups by topic; returns them and the
    alphabetical index.

    ``phases`` are in the order of the life course; an offer goes, in full, into the first of
    its phases that is in ``phases`` (or ``only_phase``, if set) and is referred to from the
    others. Offers without a phase get a chapter of their own at the end, labelled
    ``no_phase_label``; offers without a known topic a group named ``no_topic_name``. Empty
    chapters and groups are left out.
    """
    order = {phase.code: position for position, phase in enumerate(phases)}
    topic_by_key = {topic.key: topic for topic in topics}
    other = Topic(NO_TOPIC, no_topic_name, 1 << 30)
    sections: dict[str, Section] = {}
    for phase in phases:
        if only_phase is None or phase.code == only_phase:
            sections[phase.code] = Section(phase)
    no_phase = Section(Phase(NO_PHASE, no_phase_label))
    groups: dict[tuple[str, str], TopicGroup] = {}
    listed: list[OfferEntry] = []

    for offer in sorted(offers, key=_by_name):
        own = sorted((code for code in offer.phases if code in sections), key=order.__getitem__)
        if not own:
            if offer.phases:
                continue  # the offer's phases are not in this booklet
            target = [no_phase]
        else:
            target = [sections[code] for code in own]
        home = target[0]
        topic = next(
            (topic_by_key[key] for key in offer.topics if key in topic_by_key),
            other,
        )
        group = groups.get((home.phase.code, topic.key))
        if group is None:
            group = groups[home.phase.code, topic.key] = TopicGroup(topic)
            home.groups.append(group)
        group.offers.append(offer)
        for later in target[1:]:
            later.see_also.append(offer)
        listed.append(offer)

    chapters = [*sections.values(), no_phase]
    for chapter in chapters:
        chapter.groups.sort(key=lambda group: (group.topic.position, group.topic.name.casefold()))
    return [chapter for chapter in chapters if chapter.groups or chapter.see_also], listed


def _by_name(offer: OfferEntry) -> tuple[str, str]:
    return (offer.name.value.casefold(), offer.uuid)
