"""The partner register's default vocabularies: German sectors (Rechtskreise) and professions.

They are data, stored in German as coordinators know them, not translated texts. Tenants may
rename or delete them afterwards; :func:`install_defaults` only adds what is missing by name.
"""

from __future__ import annotations

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.partners.models import Profession, Sector

#: (name, short name)
DEFAULT_SECTORS: list[tuple[str, str]] = [
    ("Kinder- und Jugendhilfe", "SGB VIII"),
    ("Gesundheitswesen", "SGB V"),
    ("Grundsicherung für Arbeitsuchende", "SGB II"),
    ("Eingliederungshilfe / Teilhabe", "SGB IX"),
    ("Sozialhilfe", "SGB XII"),
    ("Schwangerschaftsberatung", "SchKG"),
    ("Schule", "Schule"),
    ("Kindertagesbetreuung", "Kita"),
    ("Frühförderung", "Frühförderung"),
    ("Ehrenamt", "Ehrenamt"),
    ("Stadtentwicklung / Quartiersarbeit", "Quartier"),
    ("Migration und Integration", "Migration"),
    ("Polizei und Justiz", "Polizei/Justiz"),
]

#: (profession, name of its usual sector)
DEFAULT_PROFESSIONS: list[tuple[str, str]] = [
    ("Hebamme", "Gesundheitswesen"),
    ("Familienhebamme", "Kinder- und Jugendhilfe"),
    ("Familien-Gesundheits- und Kinderkrankenpfleger:in (FGKiKP)", "Kinder- und Jugendhilfe"),
    ("Kinderärzt:in", "Gesundheitswesen"),
    ("Frauenärzt:in", "Gesundheitswesen"),
    ("Erzieher:in", "Kindertagesbetreuung"),
    ("Kita-Leitung", "Kindertagesbetreuung"),
    ("Sozialpädagog:in / Sozialarbeiter:in", "Kinder- und Jugendhilfe"),
    ("Schwangerschaftsberater:in", "Schwangerschaftsberatung"),
    ("Erziehungsberater:in", "Kinder- und Jugendhilfe"),
    ("Psycholog:in", "Gesundheitswesen"),
    ("Heilpädagog:in", "Frühförderung"),
    ("Lehrkraft", "Schule"),
    ("Schulsozialarbeiter:in", "Schule"),
    ("Jobcenter-Fachkraft", "Grundsicherung für Arbeitsuchende"),
    ("Mitarbeiter:in Gesundheitsamt", "Gesundheitswesen"),
    ("Ehrenamtliche:r", "Ehrenamt"),
    ("Verwaltungsfachkraft", "Kinder- und Jugendhilfe"),
    ("Netzwerkkoordinator:in", "Kinder- und Jugendhilfe"),
]


def install_defaults(tenant: LocalAuthority) -> None:
    """Adds the default sectors and professions that ``tenant`` lacks (idempotent, 4 queries).

    Runs inside the tenant's scope (see :mod:`knotenpunkt.core.hooks`) or with scopes disabled.
    """
    existing = set(Sector.objects.filter(local_authority=tenant).values_list("name", flat=True))
    Sector.objects.bulk_create(
        Sector(local_authority=tenant, name=name, code=code)
        for name, code in DEFAULT_SECTORS
        if name not in existing
    )
    sectors = dict(Sector.objects.filter(local_authority=tenant).values_list("name", "pk"))
    taken = set(Profession.objects.filter(local_authority=tenant).values_list("name", flat=True))
    Profession.objects.bulk_create(
        Profession(local_authority=tenant, name=name, sector_id=sectors.get(sector))
        for name, sector in DEFAULT_PROFESSIONS
        if name not in taken
    )
