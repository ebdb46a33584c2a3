"""How the booklet arranges offers: chapters by life phase, groups by topic, cross-references."""

from __future__ import annotations

from knotenpunkt.directory.booklet.content import OfferEntry, Phase, Text, Topic, arrange

PHASES = [Phase("pregnancy", "Pregnancy"), Phase("age_0_1", "0–1"), Phase("age_1_3", "1–3")]
TOPICS = [Topic("midwife", "Midwives", 1), Topic("advice", "Advice", 0)]


def offer(name: str, phases: tuple[str, ...], topics: tuple[str, ...] = ()) -> OfferEntry:
    blank = Text("", "de")
    return OfferEntry(
        uuid=name.lower(),
        name=Text(name, "de"),
        provider="Träger",
        description=blank,
        eligibility=blank,
        application=blank,
        fees=blank,
        translated=True,
        age="",
        cost="",
        languages=(),
        places=(),
        hours=(),
        phones=(),
        contacts=(),
        email="",
        website="",
        online_url=f"https://example.org/{name}",
        phases=phases,
        topics=topics,
    )


def test_it_describes_an_offer_once_and_refers_to_it_from_its_later_phases() -> None:
    course = offer("Kurs", ("age_1_3", "pregnancy"), ("midwife",))
    sections, index = arrange([course], phases=PHASES, topics=TOPICS)
    assert [s.phase.code for s in sections] == ["pregnancy", "age_1_3"]
    assert sections[0].groups[0].offers == [course]
    assert sections[1].groups == [] and sections[1].see_also == [course]
    assert index == [course]


def test_it_groups_by_the_first_known_topic_in_topic_order_and_names_alphabetically() -> None:
    offers = [
        offer("Zebra", ("pregnancy",), ("unknown", "midwife")),
        offer("Anker", ("pregnancy",), ("midwife",)),
        offer("Beratung", ("pregnancy",), ("advice",)),
        offer("Ohne", ("pregnancy",)),
    ]
    sections, index = arrange(offers, phases=PHASES, topics=TOPICS, no_topic_name="Other")
    groups = sections[0].groups
    assert [g.topic.name for g in groups] == ["Advice", "Midwives", "Other"]
    assert [o.name.value for o in groups[1].offers] == ["Anker", "Zebra"]
    assert [o.name.value for o in index] == ["Anker", "Beratung", "Ohne", "Zebra"]


def test_offers_without_a_phase_get_a_chapter_at_the_end_and_one_phase_can_be_chosen() -> None:
    offers = [offer("Für alle", ()), offer("Baby", ("age_0_1",)), offer("Kleinkind", ("age_1_3",))]
    sections, index = arrange(
        offers, phases=PHASES, topics=TOPICS, only_phase="age_0_1", no_phase_label="All"
    )
    assert [s.phase.label for s in sections] == ["0–1", "All"]
    assert [o.name.value for o in index] == ["Baby", "Für alle"]
