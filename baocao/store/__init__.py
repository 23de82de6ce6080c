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
from .errors import StoreError, StoreLocked, StoreNotFound, TransientStoreError

DEFAULT_PATH = Path("outputs") / "baocao.duckdb"

__all__ = [
    "DEFAULT_PATH",
    "LoadResult",
    "RetryPolicy",
    "Store",
    "StoreError",
    "StoreLocked",
    "StoreNotFound",
    "TransientStoreError",
    "open_store",
]


def is_postgres_url(target: str | Path | None) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def duckdb_path(target: str | Path | None) -> Path | None:
    """The DuckDB file `target` names (None: the default file); None for PostgreSQL and memory."""
    if is_postgres_url(target) or (target is not None and str(target) == ":memory:"):
        return None
    return Path(target) if target is not None else DEFAULT_PATH


def open_store(target: str | Path | None = None, *, timeout: float = 60.0, create: bool = True) -> Store:
    """Open (creating or migrating the schema) the store at `target`.

    `timeout`: seconds to wait for a busy store (DuckDB file locked by another
    run, PostgreSQL unreachable or conflicting) before TransientStoreError; a
    file held open by another program (not a baocao run) is StoreLocked within
    seconds. `create=False`: a DuckDB file that does not exist is StoreNotFound
    (commands that read the dataset must not make an empty one).
    """
    path = duckdb_path(target)
    if not create and path is not None and not path.is_file():
        raise StoreNotFound(
            f"no database at {path}: run `baocao run` to build it, or give the right file with --db"
        )
    retry = RetryPolicy(timeout=timeout)
    if is_postgres_url(target):
        from .postgres_store import PostgresStore

        return PostgresStore(str(target), retry=retry)

    from .duckdb_store import MEMORY, DuckDBStore

    if target is not None and str(target) == MEMORY:
        return DuckDBStore(MEMORY, retry=retry)
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    return DuckDBStore(path, retry=retry)
