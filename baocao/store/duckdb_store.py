"""DuckDB backend: an embedded file, one writer process at a time.

A DuckDB file can be open in one process only. A store keeps its connection open
across transactions, since re-opening costs a checkpoint on close and a catalogue
read on open, both growing with the file (about 0.8 s at 10,000 documents, 2-3 s
at 100,000). So that others can still use the file during a long run (a second
run, `baocao export`, a dashboard), the store lets go of it between transactions
now and then: after a commit, once it has held the file for at least `share_ratio`
times what letting go cost last time (and `min_hold` seconds), so sharing costs at
most about 1/share_ratio of the time. A process that finds the file locked waits
(backoff, see RetryPolicy) until the other one lets go. Within one process, writers
take turns on a lock per file, because DuckDB's optimistic concurrency would make
concurrent loads of the same document fail on conflicts instead of waiting.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from .base import RetryPolicy, Store, Tx
from .ddl import TABLES_BY_NAME, arrow_types
from .errors import StoreError, StoreLocked
from .locks import FOREIGN_LOCK_WAIT, lock_holder, locked_message

MEMORY = ":memory:"

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
        # Columnar: the rows become one Arrow table that DuckDB reads in a single INSERT ... SELECT
        # (executemany runs one statement per row, ~5 ms each).
        import pyarrow as pa

        if not rows:
            return
        types = arrow_types()
        # A table of the schema gets its declared types; a scratch table (a temporary one of an
        # UPDATE ... FROM) gets the types Arrow infers from its values.
        kinds = {c.name: c.type for c in TABLES_BY_NAME[table].columns} if table in TABLES_BY_NAME else {}
        try:
            arrow = pa.table(
                {c: pa.array(v, type=types[kinds[c]] if c in kinds else None)
                 for c, v in zip(columns, zip(*rows, strict=True), strict=True)}
            )
        except (pa.ArrowException, OverflowError, TypeError, ValueError) as exc:
            # A value the column cannot hold: the database's refusal, as an INSERT would have said.
            raise StoreError(f"duckdb: {table}: {exc}") from exc
        view = f"_rows_{table}"
        self.con.register(view, arrow)
        try:
            names = ", ".join(columns)
            self.con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {view}")
        finally:
            self.con.unregister(view)

    def query(self, sql: str, params: Sequence[Any] | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
        cur = self.con.execute(sql, list(params)) if params is not None else self.con.execute(sql)
        return [d[0] for d in cur.description or []], cur.fetchall()

    def lock(self, *keys: str) -> None:
        # Writers are already exclusive: DuckDB's file lock between processes,
        # the per-file lock within one.
        return None


class DuckDBStore(Store):
    dialect = "duckdb"

    def __init__(self, path: str | Path, retry: RetryPolicy | None = None, *, share_ratio: float = 20.0,
                 min_hold: float = 1.0) -> None:
        super().__init__(retry)
        self.path = MEMORY if str(path) == MEMORY else str(Path(path).resolve())
        self.share_ratio = share_ratio
        self.min_hold = min_hold
        # An in-memory database lives as long as its connection: keep it open.
        self._memory = duckdb.connect(MEMORY) if self.path == MEMORY else None
        self._con: duckdb.DuckDBPyConnection | None = self._memory
        self._held_since = 0.0
        self._release_cost = 0.0  # seconds the last close took (its checkpoint)
        # One connection serves one transaction at a time; writers of a file take turns.
        self._use = threading.RLock()
        self._write_lock = threading.RLock() if self._memory is not None else _process_lock(self.path)
        try:
            self._migrate()
        except BaseException:
            self.close()  # a store that failed to open holds no connection
            raise

    def __repr__(self) -> str:
        return f"DuckDBStore({self.path!r})"

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            with self._attach():
                self._con = duckdb.connect(self.path)
            self._held_since = time.monotonic()
        return self._con

    def _attach(self) -> threading.RLock:
        # Stores of one file in one process (the review app's, a run's) share DuckDB's cached
        # instance of it; opening it while another closes the last connection fails ("Unique
        # file handle conflict"), so opening and closing take turns.
        return _process_lock(f"attach:{self.path}")

    def _let_go(self, force: bool = False) -> None:
        """Close the file so that other processes get their turn (see the module docstring)."""
        if self._con is None or self._memory is not None:
            return
        held = time.monotonic() - self._held_since
        if not force and held < max(self.min_hold, self.share_ratio * self._release_cost):
            return
        started = time.monotonic()
        try:
            with self._attach():
                self._con.close()
        finally:
            self._con = None
            self._release_cost = time.monotonic() - started

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[Tx]:
        with self._write_lock if write else _nothing(), self._use:
            try:
                con = self._connection()
                con.execute("BEGIN TRANSACTION")
            except duckdb.Error:
                self._drop_broken()
                raise
            try:
                yield _DuckTx(con)
            except BaseException:
                try:
                    con.execute("ROLLBACK")
                except duckdb.Error:
                    self._drop_broken()  # a failed COMMIT has already ended the transaction
                raise
            try:
                con.execute("COMMIT")
            except duckdb.Error:
                self._drop_broken()
                raise
            self._let_go()

    def _drop_broken(self) -> None:
        """After a failure the connection may be unusable: the next transaction opens a new one."""
        if self._memory is None and self._con is not None:
            try:
                with self._attach():
                    self._con.close()
            except duckdb.Error:
                pass
            self._con = None

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
        with self._use:
            if self._memory is not None:
                self._memory.close()
                self._con = None
                return
            self._let_go(force=True)


@contextmanager
def _nothing() -> Iterator[None]:
    yield
