"""Schema versions and the steps that take a database from one to the next.

`schema_meta` holds one row per version applied. On open, the store reads the
highest version and:
- on an empty database, creates the current schema from ddl.py and views.py and
  records every version as applied (there is nothing to migrate);
- on an older database, runs the steps above its version in order, then
  recreates the views (they hold no data and may read new columns);
- on a newer database, refuses to open: this code does not know its tables.
All of it runs in one transaction, so a failed step leaves the old version intact.

To change the schema: edit ddl.py (the shape of a fresh database), append a
Migration with the next version whose statements bring an existing database to
the same shape, and regenerate the data dictionary (python -m schemas.generate).
A change of a view alone also needs a step (it may have no statements): views are
recreated only when the version moves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .ddl import (
    AUDIT_FINDINGS,
    SCHEMA_META,
    TABLES_BY_NAME,
    Dialect,
    create_statements,
    create_table_sql,
    table_statements,
)
from .errors import StoreError
from .views import view_statements


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    # dialect -> SQL statements that upgrade a database at version - 1.
    statements: Callable[[Dialect], list[str]]


# The tables version 1 created. Later versions add theirs in steps of their own, so
# this list must not grow: it is what `_initial` builds when a test (or a tool)
# needs a database exactly as version 1 left it.
_V1_TABLES = ("documents", "figures", "doc_refs", "dates", "rejected_inputs", "schema_meta")


def _initial(dialect: Dialect) -> list[str]:
    # Never run on a real database: an empty one gets the current schema directly (see plan).
    return [sql for name in _V1_TABLES for sql in table_statements(TABLES_BY_NAME[name], dialect)]


def _audit_findings(dialect: Dialect) -> list[str]:
    return table_statements(AUDIT_FINDINGS, dialect)


MIGRATIONS: list[Migration] = [
    Migration(1, "documents, figures, doc_refs, dates, rejected_inputs; dashboard views", _initial),
    Migration(2, "audit_findings table for the audit stage", _audit_findings),
]


def latest_version(migrations: list[Migration] | None = None) -> int:
    migrations = MIGRATIONS if migrations is None else migrations
    return migrations[-1].version if migrations else 0


@dataclass(frozen=True)
class Plan:
    """What opening a database at `current` must run, and which versions it records."""

    statements: list[str]
    versions: list[Migration]


def bootstrap_sql(dialect: Dialect) -> str:
    return create_table_sql(SCHEMA_META, dialect)


def plan(current: int, dialect: Dialect, migrations: list[Migration] | None = None) -> Plan:
    migrations = MIGRATIONS if migrations is None else migrations
    versions = [m.version for m in migrations]
    if versions != sorted(set(versions)):
        raise ValueError(f"migration versions must be increasing and unique: {versions}")
    target = latest_version(migrations)
    if current > target:
        raise StoreError(
            f"the database is at schema version {current}, newer than this code ({target}): upgrade baocao"
        )
    if current == target:
        return Plan([], [])
    if current == 0:
        return Plan(create_statements(dialect) + view_statements(), list(migrations))
    steps = [m for m in migrations if m.version > current]
    return Plan([sql for m in steps for sql in m.statements(dialect)] + view_statements(), steps)
