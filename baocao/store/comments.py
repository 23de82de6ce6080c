"""COMMENT ON every table, view and column, from the descriptions of the data dictionary.

BI tools (Metabase, Superset, DBeaver, Power BI) show a column's comment as its description,
so the database says what docs/data-dictionary.md says, from the same file
(schemas/table_descriptions.json, via baocao.store.dictionary). The relations and columns are
read from the database itself (information_schema, the same on DuckDB and PostgreSQL), so a
view's columns are commented as they are, and only comments that differ are written again.
"""

from __future__ import annotations

from typing import Any, Protocol

from .ddl import Dialect
from .dictionary import describe_column, describe_table, has_description


class _Tx(Protocol):
    def execute(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]: ...


# (relation, column) -> comment; column "" is the relation's own comment.
Comments = dict[tuple[str, str], str]

_RELATIONS = (
    "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = current_schema()"
)
_COLUMNS = "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"

_CURRENT: dict[Dialect, tuple[str, ...]] = {
    "duckdb": (
        "SELECT table_name, '', comment FROM duckdb_tables() WHERE schema_name = current_schema()",
        "SELECT view_name, '', comment FROM duckdb_views() WHERE NOT internal AND schema_name = current_schema()",
        "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE schema_name = current_schema()",
    ),
    "postgres": (
        (
            "SELECT c.relname, '', obj_description(c.oid, 'pg_class') FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v')"
        ),
        (
            "SELECT c.relname, a.attname, col_description(c.oid, a.attnum) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v') AND a.attnum > 0 AND NOT a.attisdropped"
        ),
    ),
}


def comment_text(desc: dict[str, str]) -> str:
    """Vietnamese first (the readers' language), then English."""
    return f"{desc['vi']}\n\n(EN) {desc['en']}"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def wanted_comments(tx: _Tx) -> tuple[Comments, dict[str, str]]:
    """What every described relation and column of this database should say, and which relations are views."""
    kinds = {name: ("VIEW" if kind == "VIEW" else "TABLE") for name, kind in tx.execute(_RELATIONS)}
    out: Comments = {}
    for name in kinds:
        if has_description(name):
            out[(name, "")] = comment_text(describe_table(name))
    for table, column in tx.execute(_COLUMNS):
        if table in kinds and has_description(table):
            desc = describe_column(table, column)
            if desc:
                out[(table, column)] = comment_text(desc)
    return out, kinds


def current_comments(tx: _Tx, dialect: Dialect) -> Comments:
    out: Comments = {}
    for sql in _CURRENT[dialect]:
        for relation, column, comment in tx.execute(sql):
            if comment is not None:
                out[(relation, column)] = comment
    return out


def comment_statements(tx: _Tx, dialect: Dialect) -> list[str]:
    """COMMENT ON statements for every description the database does not hold yet."""
    wanted, kinds = wanted_comments(tx)
    have = current_comments(tx, dialect)
    out = []
    for (relation, column), text in wanted.items():
        if have.get((relation, column)) == text:
            continue
        if column:
            out.append(f"COMMENT ON COLUMN {_ident(relation)}.{_ident(column)} IS {_literal(text)}")
        else:
            out.append(f"COMMENT ON {kinds[relation]} {_ident(relation)} IS {_literal(text)}")
    return out


def apply_comments(tx: _Tx, dialect: Dialect) -> int:
    statements = comment_statements(tx, dialect)
    if statements:
        # One round trip: both backends run a script of statements given without parameters.
        tx.execute(";\n".join(statements))
    return len(statements)
