"""What an import did: the records it created, updated, left unchanged or rejected."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

# --- Results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """One top-level HSDS object to import and what it is."""

    kind: str
    data: Any
    #: Where it came from, for the report (``contents[3]``, ``services.csv row 7``).
    source: str = ""


@dataclass
class RecordOutcome:
    """What happened to one record: its id and name, and the reasons or notes."""

    kind: str
    id: str
    name: str
    source: str = ""
    #: Why it was rejected (rejected records only).
    reasons: list[str] = field(default_factory=list)
    #: What could not be kept although the record was imported.
    notes: list[str] = field(default_factory=list)
    #: Organisation ids that had to change (HSDS id -> stored id): another tenant uses them.
    remapped: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """``service "Stillcafé" (id …, services.csv row 3)`` for reports."""
        where = ", ".join(part for part in (self.id, self.source) if part)
        name = f' "{self.name}"' if self.name else ""
        return f"{self.kind or '?'}{name}" + (f" ({where})" if where else "")


@dataclass
class ImportReport:
    """The records an import created, updated, left unchanged and rejected."""

    created: list[RecordOutcome] = field(default_factory=list)
    updated: list[RecordOutcome] = field(default_factory=list)
    unchanged: list[RecordOutcome] = field(default_factory=list)
    rejected: list[RecordOutcome] = field(default_factory=list)

    @property
    def imported(self) -> list[RecordOutcome]:
        return [*self.created, *self.updated, *self.unchanged]

    @property
    def total(self) -> int:
        return len(self.imported) + len(self.rejected)

    @property
    def noted(self) -> list[RecordOutcome]:
        """Imported records with notes about what could not be kept."""
        return [outcome for outcome in self.imported if outcome.notes]

    @property
    def remapped(self) -> dict[str, str]:
        """All organisation ids that had to change, HSDS id -> stored id."""
        result: dict[str, str] = {}
        for outcome in self.imported:
            result.update(outcome.remapped)
        return result

    def summary(self) -> str:
        return _(
            "%(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
            "%(rejected)s rejected"
        ) % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "rejected": len(self.rejected),
        }

    def lines(self, problems: Iterable[str] = ()) -> list[str]:
        """The report as text lines: the summary, each rejected record, notes and problems."""
        lines = [self.summary()]
        for outcome in self.rejected:
            lines.append(_("Rejected: %(record)s") % {"record": outcome.label})
            lines += [f"  - {reason}" for reason in outcome.reasons]
        for outcome in self.noted:
            lines.append(_("Imported with notes: %(record)s") % {"record": outcome.label})
            lines += [f"  - {note}" for note in outcome.notes]
        lines += [f"- {problem}" for problem in problems]
        return lines

    def extend(self, other: ImportReport) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected += other.rejected


class _Rejected(Exception):
    """The record breaks one of our rules; the message says which, for the user."""
