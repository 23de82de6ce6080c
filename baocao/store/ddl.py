"""One portable definition of the store's tables, rendered for DuckDB and PostgreSQL.

Tables are plain data (name, columns, keys, indexes); `create_statements(dialect)`
turns them into SQL. Descriptions of tables and columns are not here but in
`schemas/table_descriptions.json` (read by the data dictionary generator), so a
domain expert can edit them without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from schemas.records import DocumentHeader, TableCellRef

Dialect = Literal["duckdb", "postgres"]
DIALECTS: tuple[Dialect, ...] = ("duckdb", "postgres")

# Logical type -> SQL type per dialect.
TYPES: dict[str, dict[Dialect, str]] = {
    "text": {"duckdb": "VARCHAR", "postgres": "TEXT"},
    "integer": {"duckdb": "INTEGER", "postgres": "INTEGER"},
    "bigint": {"duckdb": "BIGINT", "postgres": "BIGINT"},
    "double": {"duckdb": "DOUBLE", "postgres": "DOUBLE PRECISION"},
    "boolean": {"duckdb": "BOOLEAN", "postgres": "BOOLEAN"},
    "date": {"duckdb": "DATE", "postgres": "DATE"},
    # Naive timestamps, always UTC: DuckDB's TIMESTAMPTZ needs pytz in pandas and
    # Excel cannot hold time zones, so the zone is a convention, not a type.
    "timestamp": {"duckdb": "TIMESTAMP", "postgres": "TIMESTAMP"},
}


def arrow_types() -> dict[str, object]:
    """Logical type -> Arrow type (the batch writer's and the exports' columnar form)."""
    import pyarrow as pa  # not at import: most users of the table definitions never need Arrow

    return {
        "text": pa.string(),
        "integer": pa.int32(),
        "bigint": pa.int64(),
        "double": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us"),  # naive UTC, as TYPES says
    }


# Document row states. 'deleted' is a tombstone that lives only between two
# transactions: DuckDB refuses to delete a documents row in the transaction that
# deleted its facts (its foreign-key check still sees them), so facts go first and
# the row is swept right after (see Store._sweep).
DOCUMENT_STATUSES = ("loaded", "rejected", "deleted")

# Severities of audit findings (baocao.audit.config.Severity).
AUDIT_SEVERITIES = ("error", "warning", "info")

# What a reviewer did to a finding (baocao serve): settled it (accepted: the figures are
# wrong or disagree, as the finding says; dismissed: a false alarm), opened it again, or
# only wrote a note. A finding's state is its latest row other than a comment.
REVIEW_STATES = ("accepted", "dismissed", "reopened", "commented")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool = True
    check: str | None = None


@dataclass(frozen=True)
class Index:
    columns: tuple[str, ...]
    # DuckDB turns an UPDATE of an indexed column into delete + insert, which its
    # foreign-key check rejects when other tables reference the row: tables that
    # are referenced (documents) get their secondary indexes on PostgreSQL only.
    dialects: tuple[Dialect, ...] = DIALECTS


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ("id",)
    foreign_keys: dict[str, str] = field(default_factory=dict)  # column -> "table(column)"
    indexes: tuple[Index, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _span_columns() -> tuple[Column, ...]:
    """Where in its document a row was read: shared by every table of facts."""
    return (
        Column("id", "text", nullable=False),
        Column("doc_id", "text", nullable=False),
        Column("seq", "integer", nullable=False),
        Column("page", "integer"),
        Column("start_offset", "integer", nullable=False),
        Column("end_offset", "integer", nullable=False),
        Column("raw_start", "integer"),
        Column("raw_end", "integer"),
        Column("quote", "text", nullable=False),
    )


def _evidence_columns() -> tuple[Column, ...]:
    """Provenance columns of figures, doc_refs and dates (records.Evidence)."""
    return _span_columns() + (
        Column("sentence", "text", nullable=False),
        Column("sentence_start", "integer", nullable=False),
    )


_FACT_FK = {"doc_id": "documents(id)"}

DOCUMENTS = Table(
    "documents",
    (
        Column("id", "text", nullable=False),
        Column("path", "text", nullable=False),
        Column("name", "text", nullable=False),
        Column("format", "text"),
        Column("encoding", "text"),
        Column("size_bytes", "bigint"),
        Column("n_pages", "integer"),
        Column("text_length", "integer"),
        Column(
            "status",
            "text",
            nullable=False,
            check=_one_of("status", DOCUMENT_STATUSES),
        ),
        Column("loaded_at", "timestamp", nullable=False),
        Column("error", "text"),
        Column("province", "text"),
        Column("province_2025", "text"),
        Column("doc_date", "date"),
        Column("duplicate_of", "text"),
        Column("extractor_version", "text"),
        # version 5: the Party document format (records.DocumentHeader), OCR and conversion
        *(Column(name, "text") for name in DocumentHeader.STORED),
        Column("recipients", "text"),
        Column("ocr_pages", "integer"),
        Column("ocr_confidence", "double"),
        Column("converted_by", "text"),
        # version 6, set by the organizations stage: the latest year the document's stored sentences
        # name, what dates an undated document in the views (period_source 'document_years').
        Column("mentioned_year", "integer"),
        Column("minhash_scheme", "text"),  # version 9: records.TextSignature
        Column("content_shingles", "integer"),
        Column("minhash", "text"),
        Column("quality", "text"),  # clean | partial (records.SourceDocument.quality)
        Column("bad_pages", "text"),
        Column("quality_note", "text"),
    ),
    indexes=(
        Index(("path",), dialects=("postgres",)),
        Index(("status",), dialects=("postgres",)),
    ),
)

FIGURES = Table(
    "figures",
    _evidence_columns()
    + (
        Column("object", "text", nullable=False),
        Column("event", "text", nullable=False),
        Column("value", "double", nullable=False),
        Column("qualifier", "text", nullable=False),
        Column("target", "boolean", nullable=False),
        Column("subject", "text"),
        Column("period_start", "date"),
        Column("period_end", "date"),
        Column("segment", "text"),
        Column("parent", "integer"),
        Column("parent_id", "text"),
        Column("province", "text"),
        Column("province_2025", "text"),  # version 3; added columns go last, where ALTER TABLE puts them
        Column("detail", "text"),  # version 4
        Column("confidence", "double"),
        Column("decided_by", "text"),
        # version 5: the table cell a figure was read from (records.TableCellRef), OCR confidence
        *(Column(name, "integer" if info.annotation is int else "text") for name, info in TableCellRef.model_fields.items()),
        Column("ocr_confidence", "double"),
        # version 6: set by the organizations stage after load (baocao.organizations); no foreign key,
        # because the registry is rebuilt by each run and DuckDB cannot delete a referenced row in the
        # transaction that re-points it.
        Column("organization_id", "text"),
        Column("period_basis", "text"),  # version 9
    ),
    foreign_keys=_FACT_FK,
    indexes=(Index(("doc_id",)), Index(("object", "event")), Index(("organization_id",), dialects=("postgres",))),
)

DOC_REFS = Table(
    "doc_refs",
    _evidence_columns()
    + (
        Column("ref", "text", nullable=False),
        Column("doc_type", "text"),
        Column("issued", "date"),
        Column("ocr_confidence", "double"),  # version 5
    ),
    foreign_keys=_FACT_FK,
    indexes=(Index(("doc_id",)), Index(("ref",))),
)

DATES = Table(
    "dates",
    _evidence_columns() + (Column("date", "date", nullable=False), Column("ocr_confidence", "double")),
    foreign_keys=_FACT_FK,
    indexes=(Index(("doc_id",)), Index(("date",))),
)

# People a document names (records.Person): its author or signatory, and officials
# named with their title. Person has a span but no sentence, hence no sentence columns.
PEOPLE = Table(
    "people",
    _span_columns()
    + (
        Column("name", "text", nullable=False),
        Column("role", "text"),
        Column("kind", "text", nullable=False),
    ),
    foreign_keys=_FACT_FK,
    indexes=(Index(("doc_id",)), Index(("name",))),
)

REJECTED_INPUTS = Table(
    "rejected_inputs",
    (
        Column("id", "text", nullable=False),
        Column("path", "text", nullable=False),
        Column("name", "text", nullable=False),
        Column("reason", "text", nullable=False),
        Column("error", "text", nullable=False),
        Column("doc_id", "text"),
        Column("seen_at", "timestamp", nullable=False),
        Column("limit_name", "text"),  # version 9
    ),
    foreign_keys={"doc_id": "documents(id)"},
    indexes=(Index(("path",)), Index(("doc_id",))),
)

# Findings of the audit stage (baocao.audit), replaced as a whole by each audit run
# (Store.replace_audit_findings). No foreign key to documents: a finding spans
# documents and is recomputed from what is loaded, so it never blocks a reload or
# a prune; doc_ids and facts_json say where it comes from.
AUDIT_FINDINGS = Table(
    "audit_findings",
    (
        Column("id", "text", nullable=False),
        Column("rule", "text", nullable=False),
        Column("severity", "text", nullable=False, check=_one_of("severity", AUDIT_SEVERITIES)),
        Column("province", "text"),
        Column("subject", "text"),
        Column("object", "text"),
        Column("event", "text"),
        Column("message_vi", "text", nullable=False),
        Column("message_en", "text", nullable=False),
        Column("arithmetic", "text"),
        Column("facts_json", "text", nullable=False),
        Column("doc_ids", "text"),
        Column("created_at", "timestamp"),
    ),
    indexes=(Index(("severity",)), Index(("province", "subject"))),
)

# The organization registry (baocao.organizations), rebuilt as a whole by each run from the
# figures' subjects: the id is a hash of the canonical key, so it is the same in every run and
# on both backends. parent_id and successor_id point into the same table (no foreign keys, as
# for figures.organization_id).
ORGANIZATIONS = Table(
    "organizations",
    (
        Column("id", "text", nullable=False),
        Column("key", "text", nullable=False),
        Column("name", "text", nullable=False),
        Column("level", "text"),
        Column("kind", "text", nullable=False),
        Column("parent_id", "text"),
        Column("province", "text"),
        Column("province_2025", "text"),
        Column("scope", "text", nullable=False, check=_one_of("scope", ("registry", "document"))),
        Column("doc_id", "text"),
        Column("valid_from", "date"),
        Column("valid_to", "date"),
        Column("successor_id", "text"),
        Column("source", "text", nullable=False),
    ),
    indexes=(Index(("key",)), Index(("province", "level")), Index(("parent_id",))),
)

# Every spelling an organization is known by: the subjects figures were read with, and the
# names the registry derives (committee names, the bare place name).
ORGANIZATION_ALIASES = Table(
    "organization_aliases",
    (
        Column("organization_id", "text", nullable=False),
        Column("alias", "text", nullable=False),
        Column("alias_key", "text", nullable=False),
        Column("source", "text", nullable=False),
        Column("n_figures", "integer", nullable=False),
    ),
    primary_key=("organization_id", "alias"),
    indexes=(Index(("alias_key",)),),
)

# Labels of every code (baocao/reference/data/labels.json and the files it names), rewritten by each run.
LABELS = Table(
    "labels",
    (
        Column("kind", "text", nullable=False),
        Column("code", "text", nullable=False),
        Column("label_vi", "text", nullable=False),
        Column("label_en", "text", nullable=False),
    ),
    primary_key=("kind", "code"),
)

# Indicators of the Party's basic statistical forms a figure fills (baocao/reference/data/official_indicators.json).
OFFICIAL_INDICATORS = Table(
    "official_indicators",
    (
        Column("code", "text", nullable=False),
        Column("form", "text", nullable=False),
        Column("label_vi", "text", nullable=False),
        Column("label_en", "text", nullable=False),
        Column("object", "text", nullable=False),
        Column("event", "text", nullable=False),
        Column("segment", "text"),
        Column("detail", "text"),
        Column("source", "text", nullable=False),
    ),
    primary_key=("code",),
)

# The document's normalized text, the one every fact's offsets point into, and its pages
# (JSON [[number, start, end], ...]): the review app shows a figure in the text around it
# without the file, which a shared (PostgreSQL) deployment may not have at hand.
DOCUMENT_TEXTS = Table(
    "document_texts",
    (
        Column("doc_id", "text", nullable=False),
        Column("text", "text", nullable=False),
        Column("pages", "text"),
    ),
    primary_key=("doc_id",),
    foreign_keys=_FACT_FK,
)

# What reviewers decided about audit findings, one row per action, never updated: the
# history is the record. No foreign key to audit_findings, which each audit replaces: a
# finding's id is a hash of its rule and its figures (baocao.audit.findings.finding_id), so
# the same finding found again gets its reviews back. rule and arithmetic keep what the
# reviewer saw, for a finding that is not found any more.
REVIEWS = Table(
    "reviews",
    (
        Column("id", "text", nullable=False),
        Column("finding_id", "text", nullable=False),
        Column("state", "text", nullable=False, check=_one_of("state", REVIEW_STATES)),
        Column("note", "text"),
        Column("reviewer", "text", nullable=False),
        Column("created_at", "timestamp", nullable=False),
        Column("rule", "text"),
        Column("arithmetic", "text"),
    ),
    indexes=(Index(("finding_id",)),),
)

# People who may log in to the review app (`baocao user add`): the password only as a
# salted scrypt hash (baocao.web.passwords).
USERS = Table(
    "users",
    (
        Column("name", "text", nullable=False),
        Column("password_hash", "text", nullable=False),
        Column("created_at", "timestamp", nullable=False),
    ),
    primary_key=("name",),
)

SCHEMA_META = Table(
    "schema_meta",
    (
        Column("version", "integer", nullable=False),
        Column("description", "text", nullable=False),
        Column("applied_at", "timestamp", nullable=False),
    ),
    primary_key=("version",),
)

# Creation order: referenced tables first.
TABLES: tuple[Table, ...] = (
    DOCUMENTS, FIGURES, DOC_REFS, DATES, PEOPLE, REJECTED_INPUTS, AUDIT_FINDINGS,
    ORGANIZATIONS, ORGANIZATION_ALIASES, LABELS, OFFICIAL_INDICATORS,
    DOCUMENT_TEXTS, REVIEWS, USERS, SCHEMA_META,
)  # fmt: skip
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
# Tables of what was read from one document (doc_id): replaced when it is reloaded, removed by prune.
FACT_TABLES: tuple[str, ...] = ("figures", "doc_refs", "dates", "people", "document_texts")


def column_sql(column: Column, dialect: Dialect) -> str:
    parts = [column.name, TYPES[column.type][dialect]]
    if not column.nullable:
        parts.append("NOT NULL")
    if column.check:
        parts.append(f"CHECK ({column.check})")
    return " ".join(parts)


def create_table_sql(table: Table, dialect: Dialect) -> str:
    lines = [column_sql(c, dialect) for c in table.columns]
    lines.append(f"PRIMARY KEY ({', '.join(table.primary_key)})")
    lines += [f"FOREIGN KEY ({col}) REFERENCES {ref}" for col, ref in table.foreign_keys.items()]
    body = ",\n    ".join(lines)
    return f"CREATE TABLE IF NOT EXISTS {table.name} (\n    {body}\n)"


def index_name(table: Table, index: Index) -> str:
    return f"ix_{table.name}_{'_'.join(index.columns)}"


def create_index_sql(table: Table, index: Index) -> str:
    return f"CREATE INDEX IF NOT EXISTS {index_name(table, index)} ON {table.name} ({', '.join(index.columns)})"


def table_statements(table: Table, dialect: Dialect) -> list[str]:
    return [create_table_sql(table, dialect)] + [
        create_index_sql(table, ix) for ix in table.indexes if dialect in ix.dialects
    ]


def create_statements(dialect: Dialect) -> list[str]:
    """All tables and indexes of the current schema (views: see views.py)."""
    return [sql for table in TABLES for sql in table_statements(table, dialect)]
