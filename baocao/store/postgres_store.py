"""PostgreSQL backend (psycopg 3), for shared deployments.

Each store holds one connection (reopened if it breaks); concurrent writers of
the same document or path take turns on transaction-scoped advisory locks, so two
runs loading the same file never interleave their delete and insert. Tables live
in the connection's current schema: point `search_path` elsewhere (URL parameter
`options=-csearch_path=NAME`) to keep several datasets in one database.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg

from .base import RetryPolicy, Store, Tx
from .errors import StoreError


def _pg(sql: str) -> str:
    """`?` placeholders -> psycopg's `%s`; a literal `%` (LIKE '%x%') is escaped. A literal
    `?` inside a string cannot be told from a placeholder: pass such text as a parameter."""
    return sql.replace("%", "%%").replace("?", "%s")


# Connection failures that waiting will not fix.
_PERMANENT = ("authentication failed", "does not exist", "no pg_hba.conf entry", "invalid connection option")


def advisory_key(namespace: str, key: str) -> int:
    """A stable signed 64-bit lock id (hashtext() is not guaranteed stable across versions)."""
    digest = hashlib.sha256(f"{namespace}|{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class _PgTx(Tx):
    def __init__(self, cur: psycopg.Cursor[Any], schema: str) -> None:
        self.cur = cur
        self.schema = schema

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        # Without parameters psycopg reads the text as is ('%' included).
        if params:
            self.cur.execute(_pg(sql), list(params))
        else:
            self.cur.execute(sql)
        return self.cur.fetchall() if self.cur.description else []

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        # COPY streams all rows in one statement, several times faster than a pipelined INSERT.
        if not rows:
            return
        with self.cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def query(self, sql: str, params: Sequence[Any] | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
        # User SQL: rewrite placeholders only when there are parameters, and leave
        # '%' alone otherwise (psycopg reads it only when parameters are passed).
        if params is not None:
            self.cur.execute(_pg(sql), list(params))
        else:
            self.cur.execute(sql)
        return [d.name for d in self.cur.description or []], self.cur.fetchall() if self.cur.description else []

    def lock(self, *keys: str) -> None:
        # Sorted, so that two transactions taking the same keys cannot deadlock; pipelined, so a
        # batch of documents takes its locks in one round trip.
        ordered = sorted({advisory_key(self.schema, k) for k in keys})
        if ordered:
            self.cur.executemany("SELECT pg_advisory_xact_lock(%s)", [[k] for k in ordered])


class PostgresStore(Store):
    dialect = "postgres"

    def __init__(self, url: str, retry: RetryPolicy | None = None, connect_timeout: int = 10) -> None:
        super().__init__(retry)
        self.url = url
        self.connect_timeout = connect_timeout
        self._conn: psycopg.Connection[Any] | None = None
        self._schema = ""
        # One connection runs one transaction at a time: threads sharing a store take turns.
        self._lock = threading.RLock()
        try:
            self._migrate()
        except BaseException:
            self.close()  # a store that failed to open holds no connection
            raise

    def __repr__(self) -> str:
        info = psycopg.conninfo.conninfo_to_dict(self.url)
        return f"PostgresStore(host={info.get('host')!r}, dbname={info.get('dbname')!r}, schema={self._schema!r})"

    def _connection(self) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed or self._conn.broken:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=self.connect_timeout)
            schema = conn.execute("SELECT current_schema()").fetchone()
            if not schema or schema[0] is None:
                conn.close()
                raise StoreError("PostgreSQL: no schema to create tables in (check search_path in the URL)")
            self._conn, self._schema = conn, schema[0]
        return self._conn

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[Tx]:
        with self._lock:
            conn = self._connection()
            with conn.transaction(), conn.cursor() as cur:
                yield _PgTx(cur, self._schema)

    def _is_db_error(self, exc: BaseException) -> bool:
        return isinstance(exc, psycopg.Error)

    def _is_transient(self, exc: BaseException) -> bool:
        # OperationalError covers lost connections, serialization failures,
        # deadlocks, lock and statement timeouts, server shutdown; but also a
        # wrong password or database name, which no retry will fix.
        if not isinstance(exc, psycopg.OperationalError):
            return False
        return not any(p in str(exc) for p in _PERMANENT)

    def _is_outage(self, exc: BaseException) -> bool:
        # The connection is gone or cannot be made (server down, network cut), as opposed to a
        # conflict, a deadlock or a lock timeout on a live connection.
        if not isinstance(exc, psycopg.OperationalError) or any(p in str(exc) for p in _PERMANENT):
            return False
        return self._conn is None or self._conn.closed or self._conn.broken

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
