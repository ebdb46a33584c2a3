"""Reads of the import pages: recent batches, the mapping's columns, preview rows, progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from knotenpunkt.imports import tasks
from knotenpunkt.imports.mapping import TARGETS_BY_KEY
from knotenpunkt.imports.models import ImportBatch, ImportRow

PREVIEW_PAGE_SIZE = 50
SAMPLE_ROWS = 3


def recent_batches(limit: int = 20) -> QuerySet[ImportBatch]:
    """The tenant's latest imports, without their stored files (one query)."""
    return ImportBatch.objects.select_related("created_by").defer("content", "table", "changes")[
        :limit
    ]


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    samples: list[str]


def mapping_columns(batch: ImportBatch) -> list[Column]:
    """Each column of the sheet with its first non-empty values as samples."""
    columns = []
    for index, header in enumerate(batch.headers):
        samples: list[str] = []
        for row in batch.table:
            if index < len(row) and row[index]:
                samples.append(row[index][:80])
                if len(samples) == SAMPLE_ROWS:
                    break
        columns.append(Column(index=index, header=header, samples=samples))
    return columns


@dataclass(frozen=True)
class Cell:
    key: str
    value: str
    problem: str


@dataclass(frozen=True)
class PreviewRow:
    row: ImportRow
    cells: list[Cell]


def preview_fields(batch: ImportBatch) -> list[tuple[str, Any]]:
    """The fields the batch imports, in the order of the sheet's columns, with their labels."""
    keys = []
    for key in batch.mapping:
        if key == "full_name":
            keys.extend(["title", "first_name", "last_name"])
        elif key:
            keys.append(key)
    seen: set[str] = set()
    ordered = [key for key in keys if not (key in seen or seen.add(key))]  # type: ignore[func-returns-value]
    return [(key, TARGETS_BY_KEY[key].label) for key in ordered]


def preview_page(
    batch: ImportBatch, *, status: str, page: str | int
) -> tuple[Page[ImportRow], list[PreviewRow]]:
    """One page of preview rows (optionally of one status) with values and problems per field."""
    rows = batch.rows.order_by("number")
    if status:
        rows = rows.filter(status=status)
    paginator: Paginator[ImportRow] = Paginator(rows, PREVIEW_PAGE_SIZE)
    current = paginator.get_page(page)
    keys = [key for key, _label in preview_fields(batch)]
    shown = [
        PreviewRow(
            row=row,
            cells=[
                Cell(key=key, value=str(row.values.get(key, "")), problem=row.problems.get(key, ""))
                for key in keys
            ],
        )
        for row in current.object_list
    ]
    return current, shown


@dataclass(frozen=True)
class Progress:
    status: str
    label: str
    percent: int | None
    running: bool
    stalled: bool


def batch_progress(batch: ImportBatch) -> Progress:
    """Where a batch stands; during an apply the percentage comes from this process's memory."""
    percent: int | None = batch.progress
    if batch.status == ImportBatch.Status.APPLYING:
        percent = tasks.live_progress(batch.pk)
    running = batch.is_running
    return Progress(
        status=batch.status,
        label=str(batch.get_status_display()),
        percent=percent,
        running=running,
        stalled=running and tasks.is_stalled(batch.touched_at) and percent is None
        if batch.status == ImportBatch.Status.APPLYING
        else running and tasks.is_stalled(batch.touched_at),
    )
