"""Case-insensitive word search over several fields, the same on SQLite and PostgreSQL.

SQLite's ``LIKE`` and ``LOWER`` fold only ASCII letters, so ``icontains`` would not find "Ärztin"
for "ärztin" on the embedded database. :class:`Lower` folds with Python's ``str.lower`` there
(a function registered on every SQLite connection) and with the database's ``LOWER`` on
PostgreSQL. :func:`words_match` requires every word of the query to occur in at least one field,
so "kita gardelegen" finds the Kita in Gardelegen.

This serves the register's lists; the public guide gets real full-text search (stemming,
compounds, synonyms) through its own search interface.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import Expression, F, Func, Q
from django.db.models.lookups import Contains

SQLITE_LOWER = "KNOTENPUNKT_LOWER"
MAX_WORDS = 8


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def register_sqlite_functions(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Gives each new SQLite connection a Unicode-aware lower-case function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_LOWER, 1, _lower, deterministic=True)


# A signal, as Django offers no other hook for per-connection set-up; it only adds a function.
connection_created.connect(register_sqlite_functions, dispatch_uid="knotenpunkt-sqlite-lower")


class Lower(Func):
    """``LOWER(expression)`` that also folds umlauts and other non-ASCII letters on SQLite."""

    function = "LOWER"
    arity = 1

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(compiler, connection, function=SQLITE_LOWER, **extra_context)


def words(query: str) -> list[str]:
    """The query's words in lower case (at most :data:`MAX_WORDS`)."""
    return [word.lower() for word in query.split()][:MAX_WORDS]


def field_contains(field: str | Expression, word: str) -> Q:
    """``field`` contains ``word`` (already lower case), ignoring case."""
    expression = F(field) if isinstance(field, str) else field
    return Q(Contains(Lower(expression), word))


def words_match(query: str, fields: list[str], extra: list[Any] | None = None) -> Q:
    """Every word of ``query`` occurs in one of ``fields`` (or matches one of the ``extra``
    callables, each taking a word and returning a ``Q``, e.g. for a subquery)."""
    condition = Q()
    for word in words(query):
        any_field = Q()
        for field in fields:
            any_field |= field_contains(field, word)
        for build in extra or []:
            any_field |= build(word)
        condition &= any_field
    return condition
