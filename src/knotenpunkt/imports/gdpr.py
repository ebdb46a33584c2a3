"""What imports hold about a professional: rows of uploaded sheets that matched or created them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from knotenpunkt.imports.models import ImportBatch, ImportRow
from knotenpunkt.partners.models import Person

#: Keys of an import row's values that hold a person's data.
PERSONAL_KEYS = (
    "title",
    "first_name",
    "last_name",
    "full_name",
    "email",
    "phone",
    "mobile",
    "functions",
    "notes",
)


def _batches_creating(person: Person) -> list[ImportBatch]:
    return [
        batch
        for batch in ImportBatch.objects.exclude(changes={}).only("pk", "changes")
        if person.pk in batch.changes.get("created", {}).get("partners.Person", [])
    ]


def _rows_about(person: Person) -> Q:
    created_in = [batch.pk for batch in _batches_creating(person)]
    # A created person's row is not marked with their id; such rows are found by batch and by the
    # name they carried, which the person still has at this point.
    return Q(person_id_match=person.pk) | Q(
        batch_id__in=created_in,
        values__last_name=person.last_name,
        values__first_name=person.first_name,
    )


def erase_person(*, person: Person) -> None:
    """Blanks the person's values in import rows; unapplied sheets holding them are discarded."""
    rows = list(ImportRow.objects.filter(_rows_about(person)))
    for row in rows:
        row.values = {
            key: ("" if key in PERSONAL_KEYS else value) for key, value in row.values.items()
        }
        row.match_label = ""
    ImportRow.objects.bulk_update(rows, ["values", "match_label"])
    pending = {row.batch_id for row in rows}
    # A sheet not applied yet still holds the raw file and rows: it cannot be kept in part.
    ImportBatch.objects.filter(pk__in=pending).exclude(
        status__in=[ImportBatch.Status.APPLIED, ImportBatch.Status.UNDONE]
    ).update(
        content=None,
        table=[],
        status=ImportBatch.Status.FAILED,
        error=_("Discarded: a person in this sheet was erased for data protection."),
    )


def export_person(*, person: Person) -> dict[str, Any]:
    """The import rows about the person: which file, when, and the values it held."""
    return {
        "imported_rows": [
            {
                "file": row.batch.file_name,
                "uploaded": row.batch.created_at.isoformat(),
                "row": row.number,
                "values": row.values,
            }
            for row in ImportRow.objects.filter(_rows_about(person)).select_related("batch")
        ]
    }
