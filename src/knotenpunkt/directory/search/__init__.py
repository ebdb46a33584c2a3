"""Full-text search over the public offers: one interface, PostgreSQL and SQLite backends.

See :func:`search_services` and, for keeping the index current, :func:`search_index_refresh`.
"""

from knotenpunkt.directory.search.index import (
    search_index_rebuild,
    search_index_refresh,
    services_of_organisation,
    services_of_topic,
)
from knotenpunkt.directory.search.query import Near, SearchHit, search_services

__all__ = [
    "Near",
    "SearchHit",
    "search_index_rebuild",
    "search_index_refresh",
    "search_services",
    "services_of_organisation",
    "services_of_topic",
]
