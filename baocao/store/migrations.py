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
the same shape, register what it adds in _ADDED_TABLES / _ADDED_COLUMNS (so that
`tables_at` can still build the older shapes the migration tests start from),
bump records.SCHEMA_VERSION, and regenerate the data dictionary (python -m
schemas.generate). A column added to an existing table goes last in ddl.py, where
ALTER TABLE puts it, and must be nullable. A change of a view alone also needs a
step (it may have no statements): views are recreated only when the version moves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from schemas.records import DocumentHeader, TableCellRef

from .ddl import (
    SCHEMA_META,
    TABLES,
    Dialect,
    Table,
    column_sql,
    create_index_sql,
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
# this list must not grow: with the two maps below it is how `tables_at` rebuilds a
# database exactly as an older version left it, for a test (or a tool) to migrate.
_V1_TABLES = ("documents", "figures", "doc_refs", "dates", "rejected_inputs", "schema_meta")
# version -> tables it created / columns it added to tables that existed before (table -> columns).
_ADDED_TABLES: dict[int, tuple[str, ...]] = {
    2: ("audit_findings",),
    3: ("people",),
    6: ("organizations", "organization_aliases", "labels", "official_indicators"),
    8: ("document_texts", "reviews", "users"),
}
_ADDED_COLUMNS: dict[int, dict[str, tuple[str, ...]]] = {
    3: {"figures": ("province_2025",), "documents": ("extractor_version",)},
    4: {"figures": ("detail", "confidence", "decided_by")},
    5: {
        "documents": (*DocumentHeader.STORED, "recipients", "ocr_pages", "ocr_confidence", "converted_by"),
        "figures": (*TableCellRef.model_fields, "ocr_confidence"),
        "doc_refs": ("ocr_confidence",),
        "dates": ("ocr_confidence",),
    },
    6: {"figures": ("organization_id",), "documents": ("mentioned_year",)},
    9: {"documents": ("minhash_scheme", "content_shingles", "minhash", "quality", "bad_pages", "quality_note"),
        "figures": ("period_basis",),
        "rejected_inputs": ("limit_name",)},
}


def _without_columns(table: Table, names: set[str]) -> Table:
    return replace(
        table,
        columns=tuple(c for c in table.columns if c.name not in names),
        indexes=tuple(ix for ix in table.indexes if not names & set(ix.columns)),
    )


def tables_at(version: int) -> tuple[Table, ...]:
    """The tables as the code of `version` created them, in creation order."""
    names = set(_V1_TABLES) | {t for v, added in _ADDED_TABLES.items() if v <= version for t in added}
    later: dict[str, set[str]] = {}
    for v, by_table in _ADDED_COLUMNS.items():
        if v > version:
            for table, columns in by_table.items():
                later.setdefault(table, set()).update(columns)
    return tuple(_without_columns(t, later.get(t.name, set())) for t in TABLES if t.name in names)


def _initial(dialect: Dialect) -> list[str]:
    # Never run on a real database: an empty one gets the current schema directly (see plan).
    return [sql for table in tables_at(1) for sql in table_statements(table, dialect)]


def _add_columns(table: Table, names: tuple[str, ...], dialect: Dialect) -> list[str]:
    """ALTER TABLE for columns a version added to `table`, then the indexes that read them."""
    added = set(names)
    alters = [f"ALTER TABLE {table.name} ADD COLUMN {column_sql(c, dialect)}" for c in table.columns if c.name in added]
    indexes = [
        create_index_sql(table, ix) for ix in table.indexes if added & set(ix.columns) and dialect in ix.dialects
    ]
    return alters + indexes


def _step(version: int) -> Callable[[Dialect], list[str]]:
    """The statements of `version`: what it registered in _ADDED_COLUMNS and _ADDED_TABLES."""

    def statements(dialect: Dialect) -> list[str]:
        tables = {t.name: t for t in tables_at(version)}
        columns = _ADDED_COLUMNS.get(version, {}).items()
        return [sql for name, names in columns for sql in _add_columns(tables[name], names, dialect)] + [
            sql for name in _ADDED_TABLES.get(version, ()) for sql in table_statements(tables[name], dialect)
        ]

    return statements


MIGRATIONS: list[Migration] = [
    Migration(1, "documents, figures, doc_refs, dates, rejected_inputs; dashboard views", _initial),
    Migration(2, "audit_findings table for the audit stage", _step(2)),
    Migration(3, "people named in each document; figures.province_2025; documents.extractor_version", _step(3)),
    Migration(4, "figures.detail, figures.confidence, figures.decided_by: what the reader decided and how sure it is", _step(4)),
    Migration(5, "documents: Party document header and signature, OCR pages, converter; figures: table cell; "
                 "OCR confidence of figures, doc_refs and dates", _step(5)),
    Migration(
        6,
        "organization registry (organizations, organization_aliases, figures.organization_id), "
        "labels, official_indicators, documents.mentioned_year; views a BI tool can sum (figure_facts, "
        "organization_figures, organization_figures_yearly, province_totals, indicator_values, official_form); "
        "column comments",
        _step(6),
    ),
    # Version 7 is another branch's (plan only needs increasing versions).
    Migration(8, "review app: document_texts, reviews of audit findings, users who may log in", _step(8)),
    Migration(9, "documents.minhash_scheme, content_shingles, minhash: each document's near-duplicate signature, made at load time; "
                 "figures.period_basis: whether a figure's period is stated or inferred from context; "
                 "rejected_inputs.limit_name: the limit an input exceeded; documents.quality, bad_pages, quality_note: "
                 "pages that failed to parse or are not text", _step(9)),
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


def plan(
    current: int, dialect: Dialect, migrations: list[Migration] | None = None, applied: set[int] | None = None
) -> Plan:
    """`applied`: the versions schema_meta records. Branches number their steps apart (5, 6, 8 …):
    a database that got a higher step before a lower one was merged gets the lower one too."""
    migrations = MIGRATIONS if migrations is None else migrations
    versions = [m.version for m in migrations]
    if versions != sorted(set(versions)):
        raise ValueError(f"migration versions must be increasing and unique: {versions}")
    target = latest_version(migrations)
    if current > target:
        raise StoreError(
            f"the database is at schema version {current}, newer than this code ({target}): upgrade baocao"
        )
    if current == 0:
        return Plan(create_statements(dialect) + view_statements(), list(migrations))
    done = applied if applied is not None else {m.version for m in migrations if m.version <= current}
    steps = [m for m in migrations if m.version > current or m.version not in done]
    if not steps:
        return Plan([], [])
    return Plan([sql for m in steps for sql in m.statements(dialect)] + view_statements(), steps)
