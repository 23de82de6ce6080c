"""Every table and view of the store with its columns and logical types.

Tables come from ddl.py. Views have no declared columns, so they are read from
an in-memory DuckDB built with the real DDL: the catalogue can never disagree
with what the views return.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .ddl import TABLES, TYPES
from .views import VIEWS

_FROM_DUCKDB = {sql_type: logical for logical, by_dialect in TYPES.items() for sql_type in [by_dialect["duckdb"]]}


@dataclass(frozen=True)
class CatalogColumn:
    name: str
    type: str  # logical type, a key of ddl.TYPES
    nullable: bool | None  # None: not declared (view columns)
    key: str = ""  # "PK", "FK documents(id)", ...


@dataclass(frozen=True)
class Relation:
    name: str
    kind: str  # "table" or "view"
    columns: tuple[CatalogColumn, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _table_relations() -> list[Relation]:
    out = []
    for t in TABLES:
        cols = []
        for c in t.columns:
            keys = (["PK"] if c.name in t.primary_key else []) + (
                [f"FK {t.foreign_keys[c.name]}"] if c.name in t.foreign_keys else []
            )
            cols.append(CatalogColumn(c.name, c.type, c.nullable, ", ".join(keys)))
        out.append(Relation(t.name, "table", tuple(cols)))
    return out


def _view_relations() -> list[Relation]:
    from . import open_store

    out = []
    with open_store(":memory:") as store:
        for view in VIEWS:
            described = store.fetch_df(f"DESCRIBE {view}")
            cols = tuple(
                CatalogColumn(row.column_name, _FROM_DUCKDB[row.column_type], None)
                for row in described.itertuples(index=False)
            )
            out.append(Relation(view, "view", cols))
    return out


@cache
def relations() -> dict[str, Relation]:
    """Tables (in creation order) then views, by name."""
    return {r.name: r for r in _table_relations() + _view_relations()}
