"""Property: any change to cells of the official CSV example is imported or rejected, no crash."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.hsds import tabular
from tests.directory.test_hsds_import import object_counts

CSV_EXAMPLE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "hsds" / "v3.0" / "examples" / "csv"
)
FILES = {p.name: p.read_text(encoding="utf-8") for p in CSV_EXAMPLE.iterdir()}

cells = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "",
            " ",
            "-1",
            "1.5",
            "1e400",
            "NaN",
            "true",
            "[1, 2]",
            '["pregnancy"]',
            "{}",
            "2024-02-30",
            "25:00:00",
            "ac148810-d857-441c-9679-408f346de14b",
            "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
            "not-a-uuid",
            "x" * 300,
        ]
    ),
)


@st.composite
def mutated_package(draw: st.DrawFn) -> dict[str, Any]:
    files = dict(FILES)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        name = draw(st.sampled_from(sorted(n for n in files if n.endswith(".csv"))))
        rows = list(csv.reader(io.StringIO(files[name], newline="")))
        if len(rows) < 2:
            continue
        column = draw(st.integers(min_value=0, max_value=len(rows[0]) - 1))
        rows[1][column] = draw(cells)
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        files[name] = out.getvalue()
    return files


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=mutated_package())
def test_a_mutated_package_is_imported_or_rejected(
    tenant: LocalAuthority, files: dict[str, Any]
) -> None:
    before = object_counts()
    report, _problems = tabular.import_datapackage(actor=None, local_authority=tenant, source=files)
    for outcome in report.rejected:
        assert outcome.reasons
        assert not any("internal error" in reason for reason in outcome.reasons), outcome
    if not report.imported:
        assert object_counts() == before
