"""The HSDS tabular data package: a tenant's directory as CSV files plus ``datapackage.json``.

Export: one CSV file per HSDS table, named, ordered and typed exactly as the official
``datapackage.json`` says (``services.csv``, ``service_at_location.csv`` …), one row per object,
foreign keys as HSDS ids; the descriptor is the official one. With the DE profile (the default)
the profile's fields are extra columns at the *end* of the tables they belong to (service,
location, service_area, taxonomy_term), described in the descriptor like the official fields
(arrays as JSON text, Table Schema type ``array``); a consumer of the core package ignores them.

The export streams: each table is one query (``values_list(...).iterator()``, rows in id order,
related ids by join), rows go straight into a zip stream, and the few per-offer lists (life
phases, translations) are merged in from queries sorted the same way. Memory stays flat however
many offers a tenant has; ``public=True`` keeps sets of the published ids (integers) to leave out
and unlink everything else.

``public=True`` is the guide's subset: the offers of
:func:`knotenpunkt.directory.selectors.public_services`, their organisations, locations and what
hangs off them; confidential locations without address, position or physical details; no change
metadata. ``public=False`` is the coordinators' complete export.

Import reads such a package (a zip file or a folder), rebuilds the HSDS records (each
organisation and each service with everything nested, as the JSON API has them) and imports them
through :func:`knotenpunkt.directory.hsds.importer.import_records`: the same checks, record by
record, all or nothing per record.
"""

from __future__ import annotations

from knotenpunkt.directory.hsds.tabular.export import (
    FLUSH_BYTES,
    core_view,
    export_datapackage,
    stream_datapackage,
)
from knotenpunkt.directory.hsds.tabular.reading import (
    import_datapackage,
    read_package,
    records_from_package,
)
from knotenpunkt.directory.hsds.tabular.tables import (
    CHUNK_SIZE,
    DE_COLUMNS,
    EMPTY_REQUIRED_TEXT,
    EXPORTED,
    descriptor,
    path_of,
)

__all__ = [
    "CHUNK_SIZE",
    "DE_COLUMNS",
    "EMPTY_REQUIRED_TEXT",
    "EXPORTED",
    "FLUSH_BYTES",
    "core_view",
    "descriptor",
    "export_datapackage",
    "import_datapackage",
    "path_of",
    "read_package",
    "records_from_package",
    "stream_datapackage",
]
