"""DuckDB backend: an embedded file, one writer at a time.

DuckDB lets one process hold a database file. So that two runs can share a file,
the store holds no connection between operations: each transaction connects,
commits and closes, and a process that finds the file locked waits (backoff,
see RetryPolicy) until the other one is done. Within one process, writers take
turns on a lock per file, because DuckDB's optimistic concurrency would make
concurrent loads of the same document fail on conflicts instead of waiting.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import duckdb

from .base import RetryPolicy, Store, Tx, insert_sql
from .errors import StoreError, StoreLocked
from .locks import FOREIGN_LOCK_WAIT, lock_holder, locked_message

MEMORY = ":memory:"
_BATCH = 200  # rows per INSERT statement

_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


def _process_lock(key: str) -> threading.RLock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.RLock())


class _DuckTx(Tx):
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cur = self.con.execute(sql, list(params))
        return cur.fetchall() if cur.description else []

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        # DuckDB's executemany runs one statement per row (~5 ms each); one
        # multi-row VALUES per batch is ~100 times faster.
        for i in range(0, len(rows), _BATCH):
            batch = rows[i : i + _BATCH]
            self.con.execute(insert_sql(table, columns, len(batch)), [v for row in batch for v in row])

    def query(self, sql: str, params: Sequence[Any] | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
        cur = self.con.execute(sql, list(params)) if params is not None else self.con.execute(sql)
        return [d[0] for d in cur.description or []], cur.fetchall()

    def lock(self, *keys: str) -> None:
        # Writers are already exclusive: DuckDB's file lock between processes,
        # the per-file lock within one.
        return None


class DuckDBStore(Store):
    dialect = "duckdb"

    def __init__(self, path: str | Path, retry: RetryPolicy | None = None) -> None:
        super().__init__(retry)
        self.path = MEMORY if str(path) == MEMORY else str(Path(path).resolve())
        # An in-memory database lives as long as its connection: keep it open.
        self._memory = duckdb.connect(MEMORY) if self.path == MEMORY else None
        self._lock = threading.RLock() if self._memory is not None else _process_lock(self.path)
        try:
            self._migrate()
        except BaseException:
            self.close()  # a store that failed to open holds no connection
            raise

    def __repr__(self) -> str:
        return f"DuckDBStore({self.path!r})"

    @contextmanager
    def _connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if self._memory is not None:
            yield self._memory
            return
        con = duckdb.connect(self.path)
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[Tx]:
        # One shared in-memory connection cannot serve two threads at once.
        guard = self._lock if write or self._memory is not None else nullcontext()
        with guard, self._connect() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield _DuckTx(con)
            except BaseException:
                try:
                    con.execute("ROLLBACK")
                except duckdb.Error:
                    pass  # a failed COMMIT has already ended the transaction
                raise
            con.execute("COMMIT")

    def _is_db_error(self, exc: BaseException) -> bool:
        return isinstance(exc, duckdb.Error)

    def _is_transient(self, exc: BaseException) -> bool:
        if isinstance(exc, duckdb.TransactionException):
            return "conflict" in str(exc).lower()
        # Another process holds the file: "Could not set lock on file ... Conflicting lock is held".
        return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()

    def _give_up(self, exc: BaseException, waited: float) -> StoreError | None:
        # Another baocao run lets go between transactions: wait for it (RetryPolicy). Another
        # program keeps the file until a person closes it: say so within seconds.
        holder = lock_holder(str(exc)) if isinstance(exc, duckdb.IOException) else None
        if holder is None or holder.is_baocao or waited < FOREIGN_LOCK_WAIT:
            return None
        return StoreLocked(locked_message(self.path, holder))

    def close(self) -> None:
        if self._memory is not None:
            self._memory.close()
