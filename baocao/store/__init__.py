"""The consolidated dataset: documents, their facts, rejections, and dashboard views.

    from baocao.store import open_store
    with open_store(None) as store:            # outputs/baocao.duckdb
        store.load_document(doc, extraction)

Targets: None (the default DuckDB file), a path (DuckDB file), ":memory:"
(in-memory DuckDB, for tests), or a postgresql:// / postgres:// URL.
"""

from __future__ import annotations

from pathlib import Path

from .base import LoadResult, RetryPolicy, Store
from .errors import StoreError, TransientStoreError

DEFAULT_PATH = Path("outputs") / "baocao.duckdb"

__all__ = [
    "DEFAULT_PATH",
    "LoadResult",
    "RetryPolicy",
    "Store",
    "StoreError",
    "TransientStoreError",
    "open_store",
]


def is_postgres_url(target: str | Path | None) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def open_store(target: str | Path | None = None, *, timeout: float = 60.0) -> Store:
    """Open (creating or migrating the schema) the store at `target`.

    `timeout`: seconds to wait for a busy store (DuckDB file locked by another
    run, PostgreSQL unreachable or conflicting) before TransientStoreError.
    """
    retry = RetryPolicy(timeout=timeout)
    if is_postgres_url(target):
        from .postgres_store import PostgresStore

        return PostgresStore(str(target), retry=retry)

    from .duckdb_store import MEMORY, DuckDBStore

    if target is not None and str(target) == MEMORY:
        return DuckDBStore(MEMORY, retry=retry)
    path = Path(target) if target is not None else DEFAULT_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    return DuckDBStore(path, retry=retry)
