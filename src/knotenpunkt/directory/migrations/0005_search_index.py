"""The full-text search index (see knotenpunkt.directory.search.index).

Tables that are not Django models: on PostgreSQL a document table with a ``pg_trgm`` GIN index,
on SQLite an FTS5 table with the ``trigram`` tokenizer (a plain table where SQLite lacks FTS5);
on both a table of each tenant's words. Filled by ``search_index_rebuild``.
"""

from typing import Any

from django.db import OperationalError, migrations

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE TABLE directory_search_document (
        service_id bigint PRIMARY KEY,
        local_authority_id bigint NOT NULL,
        name_text text NOT NULL,
        topic_text text NOT NULL,
        body_text text NOT NULL
    )""",
    "CREATE INDEX directory_search_document_tenant"
    " ON directory_search_document (local_authority_id)",
    """CREATE INDEX directory_search_document_trgm ON directory_search_document
        USING gin ((name_text || topic_text || body_text) gin_trgm_ops)""",
]
SQLITE_FTS5 = """CREATE VIRTUAL TABLE directory_search_document USING fts5(
    local_authority_id UNINDEXED, name_text, topic_text, body_text, tokenize = 'trigram'
)"""
SQLITE_PLAIN = """CREATE TABLE directory_search_document (
    rowid integer PRIMARY KEY,
    local_authority_id bigint NOT NULL,
    name_text text NOT NULL,
    topic_text text NOT NULL,
    body_text text NOT NULL
)"""
WORDS = """CREATE TABLE directory_search_word (
    local_authority_id bigint NOT NULL,
    word varchar(100) NOT NULL,
    PRIMARY KEY (local_authority_id, word)
)"""


def create(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in POSTGRESQL:
                cursor.execute(statement)
        elif connection.vendor == "sqlite":
            try:
                cursor.execute(SQLITE_FTS5)
            except OperationalError:  # SQLite built without FTS5 (or without trigram, < 3.34)
                cursor.execute(SQLITE_PLAIN)
        else:
            return
        cursor.execute(WORDS)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor not in ("postgresql", "sqlite"):
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS directory_search_word")
        cursor.execute("DROP TABLE IF EXISTS directory_search_document")


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_guide_edition")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
