"""Writes of the import: upload, mapping and preview, decisions, apply and undo.

Nothing reaches the register before :func:`batch_apply`; applying is one transaction, and
:func:`batch_undo` reverts a whole applied batch in one transaction.

Audit: the upload, the apply and the undo each write one entry on the batch (action "import");
applying also writes one entry per created or changed organisation, person, unit, affiliation and
membership (in bulk, so that 10,000 rows stay fast), and undoing one per deleted or restored
object.
"""

from knotenpunkt.imports.services.apply import apply_job, batch_apply
from knotenpunkt.imports.services.preview import (
    batch_decide,
    batch_preview,
    batch_reread,
    batch_upload,
    existing_records,
    preview_job,
    remembered_mapping,
)
from knotenpunkt.imports.services.undo import batch_undo

__all__ = [
    "apply_job",
    "batch_apply",
    "batch_decide",
    "batch_preview",
    "batch_reread",
    "batch_undo",
    "batch_upload",
    "existing_records",
    "preview_job",
    "remembered_mapping",
]
