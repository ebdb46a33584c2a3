from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _imports_inline(settings: pytest.FixtureRequest) -> None:
    """Imports run within the request in tests: no background threads."""
    settings.IMPORTS_RUN_INLINE = True  # type: ignore[attr-defined]
