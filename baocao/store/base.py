"""The store's behaviour, written once over a small transaction interface.

Backends (duckdb_store.py, postgres_store.py) only open transactions, say which
errors are worth a retry, and take locks; everything the pipeline relies on
(what a load replaces, what a rejection keeps, what prune removes) lives here so
that both backends behave the same.

SQL here uses `?` placeholders; the PostgreSQL backend rewrites them to `%s`.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import pandas as pd

from schemas.records import Extraction, Rejection, SourceDocument

from . import migrations
from .ddl import AUDIT_FINDINGS, DOCUMENTS, FACT_TABLES, REJECTED_INPUTS, TABLES, TABLES_BY_NAME, Dialect
from .errors import StoreError, TransientStoreError
from .rows import (
    as_tuple,
    document_row,
    fact_rows,
    rejected_document_row,
    rejection_row,
    utcnow,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

# Keep IN (...) lists well under both backends' parameter limits.
_CHUNK = 500


class Tx(Protocol):
    """One open transaction."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert many rows at once (each backend has its fast way)."""
        ...

    def query(self, sql: str, params: Sequence[Any] | None = None) -> tuple[list[str], list[tuple[Any, ...]]]: ...

    def lock(self, *keys: str) -> None:
        """Serialize with other writers of the same keys until the transaction ends."""
        ...


def _say(line: str) -> None:
    """One line on standard error (a retry of an unreachable store is worth telling a person)."""
    from baocao.safe_text import shown

    print(shown(line), file=sys.stderr, flush=True)


@dataclass(frozen=True)
class RetryPolicy:
    """Waits on a busy store: jittered exponential backoff until `timeout` seconds. A store that is
    unreachable (a server down, a network cut) is retried on a slower schedule, `outage_delays`,
    each retry said in one line through `notify`."""

    timeout: float = 60.0
    first_delay: float = 0.02
    max_delay: float = 1.0
    outage_delays: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0, 15.0)
    notify: Callable[[str], None] = _say

    def delays(self) -> Iterator[float]:
        deadline = time.monotonic() + self.timeout
        delay = self.first_delay
        while time.monotonic() < deadline:
            yield min(delay * (0.5 + random.random()), max(0.0, deadline - time.monotonic()))
            delay = min(delay * 2, self.max_delay)


@dataclass(frozen=True)
class LoadResult:
    doc_id: str
    path: str
    figures: int
    doc_refs: int
    dates: int
    replaced: tuple[str, ...] = ()  # ids of earlier documents from the same path whose facts were removed
    people: int = 0


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def _chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


def insert_sql(table: str, columns: Sequence[str], n_rows: int = 1) -> str:
    row = f"({_marks(columns)})"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES " + ", ".join([row] * n_rows)


def _upsert_sql(table: str, columns: Sequence[str], update: Sequence[str], where: str = "") -> str:
    sets = ", ".join(f"{c} = excluded.{c}" for c in update)
    return f"{insert_sql(table, columns)} ON CONFLICT (id) DO UPDATE SET {sets}{where}"


# duplicate_of belongs to the audit stage: a reload of the same bytes keeps it.
_DOC_UPDATE = [c for c in DOCUMENTS.column_names if c not in ("id", "duplicate_of")]
_UPSERT_DOCUMENT = _upsert_sql("documents", DOCUMENTS.column_names, _DOC_UPDATE)
# A rejection never overrides a document that is loaded (same bytes loaded elsewhere).
_UPSERT_REJECTED_DOCUMENT = _upsert_sql(
    "documents", DOCUMENTS.column_names, _DOC_UPDATE, where=" WHERE documents.status <> 'loaded'"
)
_UPSERT_REJECTION = _upsert_sql("rejected_inputs", REJECTED_INPUTS.column_names, ["name", "reason", "error", "seen_at", "limit_name"])

# Tombstones whose facts are gone (deleted by an earlier, committed transaction).
_SWEEP = (
    "DELETE FROM documents WHERE status = 'deleted' "
    + " ".join(f"AND NOT EXISTS (SELECT 1 FROM {t} WHERE {t}.doc_id = documents.id)" for t in FACT_TABLES)
    + " AND NOT EXISTS (SELECT 1 FROM rejected_inputs r WHERE r.doc_id = documents.id)"
)


def _finding_tuple(row: dict[str, Any]) -> tuple[Any, ...]:
    """An audit_findings row in column order, its created_at as naive UTC (see ddl.TYPES['timestamp'])."""
    created = row["created_at"]
    if isinstance(created, dt.datetime) and created.tzinfo is not None:
        row = {**row, "created_at": created.astimezone(dt.UTC).replace(tzinfo=None)}
    return as_tuple("audit_findings", row)


class Store(AbstractContextManager["Store"], ABC):
    """The consolidated dataset. Open with `baocao.store.open_store`."""

    dialect: Dialect

    def __init__(self, retry: RetryPolicy | None = None) -> None:
        self.retry = retry or RetryPolicy()

    # --- backend interface -------------------------------------------------

    @abstractmethod
    def _transaction(self, write: bool) -> AbstractContextManager[Tx]:
        """One attempt: begin, yield, commit on success, roll back on error."""

    @abstractmethod
    def _is_transient(self, exc: BaseException) -> bool: ...

    @abstractmethod
    def _is_db_error(self, exc: BaseException) -> bool: ...

    def _is_outage(self, exc: BaseException) -> bool:
        """The store cannot be reached at all (as opposed to busy): retried slowly, each retry said."""
        return False

    def _give_up(self, exc: BaseException, waited: float) -> StoreError | None:
        """An error to raise at once instead of waiting longer for a busy store (default: wait)."""
        return None

    def close(self) -> None:
        """Release connections; the store cannot be used afterwards."""

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- retries -----------------------------------------------------------

    def _run(self, body: Callable[[Tx], T], *, write: bool = True) -> T:
        """Run `body` in a transaction, retrying while the store is busy."""
        delays = self.retry.delays()
        started = time.monotonic()
        outages = 0
        while True:
            try:
                with self._transaction(write) as tx:
                    return body(tx)
            except StoreError:
                raise
            except Exception as exc:
                if not self._is_db_error(exc):
                    raise  # not the database's doing (a bug, an injected fault): no retry
                if not self._is_transient(exc):
                    raise StoreError(f"{self.dialect}: {exc}") from exc
                stop = self._give_up(exc, time.monotonic() - started)
                if stop is not None:
                    raise stop from exc
                if self._is_outage(exc):
                    schedule = self.retry.outage_delays
                    what = " ".join(str(exc).split())[:160]
                    waited = time.monotonic() - started
                    if outages >= len(schedule) or waited + schedule[outages] > self.retry.timeout:
                        raise TransientStoreError(
                            f"{self.dialect} store unreachable after {outages} retr{'y' if outages == 1 else 'ies'} "
                            f"over {waited:.0f} s: {what}") from exc
                    delay = schedule[outages]
                    outages += 1
                    self.retry.notify(f"{self.dialect} store unreachable ({what}); retry {outages} of "
                                      f"{len(schedule)} in {delay:g} s")
                    time.sleep(delay)
                    continue
                delay = next(delays, None)
                if delay is None:
                    raise TransientStoreError(f"{self.dialect} store busy, gave up after retries: {exc}") from exc
                log.debug("store busy (%s), retrying in %.2fs", exc, delay)
                time.sleep(delay)

    # --- schema ------------------------------------------------------------

    def _migrate(self) -> list[int]:
        """Bring the schema to the latest version; returns the versions applied."""

        def body(tx: Tx) -> list[int]:
            tx.lock("schema")
            tx.execute(migrations.bootstrap_sql(self.dialect))
            current = tx.execute("SELECT COALESCE(MAX(version), 0) FROM schema_meta")[0][0]
            step = migrations.plan(current, self.dialect)
            for sql in step.statements:
                tx.execute(sql)
            now = utcnow()
            for m in step.versions:
                tx.execute(
                    "INSERT INTO schema_meta (version, description, applied_at) VALUES (?, ?, ?)",
                    (m.version, m.description, now),
                )
            tx.execute(_SWEEP)  # leftovers of a run that stopped between a load and its sweep
            return [m.version for m in step.versions]

        applied = self._run(body)
        if applied:
            log.info("%s store migrated to schema version %s", self.dialect, applied[-1])
        return applied

    def schema_version(self) -> int:
        return self._run(lambda tx: tx.execute("SELECT MAX(version) FROM schema_meta")[0][0] or 0, write=False)

    # --- reads -------------------------------------------------------------

    def document_status(self, doc_id: str) -> str | None:
        """'loaded' or 'rejected'; None when the store does not know the document."""
        rows = self._run(
            lambda tx: tx.execute("SELECT status FROM documents WHERE id = ? AND status <> 'deleted'", (doc_id,)),
            write=False,
        )
        return rows[0][0] if rows else None

    def has_document(self, doc_id: str) -> bool:
        """True when these bytes are loaded with all their facts (the flow may skip them)."""
        return self.document_status(doc_id) == "loaded"

    def counts(self) -> dict[str, int]:
        """Rows per table."""

        def body(tx: Tx) -> dict[str, int]:
            return {t.name: tx.execute(f"SELECT COUNT(*) FROM {t.name}")[0][0] for t in TABLES}

        return self._run(body, write=False)

    def fetch_df(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """Run a read query; values come back as Python objects (date, float, str, None) on both backends."""
        columns, rows = self._run(lambda tx: tx.query(sql, params), write=False)
        return pd.DataFrame.from_records(rows, columns=columns)

    # --- writes ------------------------------------------------------------

    def _insert_rows(self, tx: Tx, table: str, rows: list[dict[str, Any]]) -> None:
        if rows:
            tx.insert(table, TABLES_BY_NAME[table].column_names, [as_tuple(table, r) for r in rows])

    def _delete_facts(self, tx: Tx, doc_ids: Sequence[str]) -> None:
        for chunk in _chunks(list(doc_ids)):
            for table in FACT_TABLES:
                tx.execute(f"DELETE FROM {table} WHERE doc_id IN ({_marks(chunk)})", chunk)

    def load_document(self, doc: SourceDocument, extraction: Extraction, extractor_version: str | None = None) -> LoadResult:
        """Store a document and its facts in one transaction, replacing what it had before.

        The facts of the same bytes and of any other document previously loaded
        from the same path are removed first, so a changed file replaces its
        facts and a reload adds nothing.  `extractor_version` names the rules
        that produced the facts: a later run with other rules extracts again.
        """
        now = utcnow()
        doc_row = document_row(doc, extraction, now, extractor_version)
        facts = fact_rows(doc, extraction)

        def body(tx: Tx) -> LoadResult:
            tx.lock(f"doc:{doc.id}", f"path:{doc.path}")
            stale = [
                r[0]
                for r in tx.execute(
                    "SELECT id FROM documents WHERE path = ? AND id <> ? AND status <> 'deleted'",
                    (doc.path, doc.id),
                )
            ]
            self._delete_facts(tx, [doc.id, *stale])
            # The file now loads: earlier rejections of this path or these bytes are stale.
            tx.execute("DELETE FROM rejected_inputs WHERE path = ? OR doc_id = ?", (doc.path, doc.id))
            for chunk in _chunks(stale):
                tx.execute(f"DELETE FROM rejected_inputs WHERE doc_id IN ({_marks(chunk)})", chunk)
                tx.execute(f"UPDATE documents SET status = 'deleted' WHERE id IN ({_marks(chunk)})", chunk)
            tx.execute(_UPSERT_DOCUMENT, as_tuple("documents", doc_row))
            for table in FACT_TABLES:
                self._insert_rows(tx, table, facts[table])
            return LoadResult(
                doc_id=doc.id,
                path=doc.path,
                figures=len(facts["figures"]),
                doc_refs=len(facts["doc_refs"]),
                dates=len(facts["dates"]),
                replaced=tuple(stale),
                people=len(facts["people"]),
            )

        result = self._run(body)
        if result.replaced:
            self._sweep()
        return result

    def record_rejection(self, rej: Rejection) -> None:
        """Note an input that could not be ingested; loaded data is never touched."""
        now = utcnow()

        def body(tx: Tx) -> None:
            tx.lock(*([f"doc:{rej.doc_id}"] if rej.doc_id else []), f"path:{rej.path}")
            if rej.doc_id:
                tx.execute(_UPSERT_REJECTED_DOCUMENT, as_tuple("documents", rejected_document_row(rej, now)))
            row = rejection_row(rej, now)
            tx.execute(
                _UPSERT_REJECTION,
                as_tuple("rejected_inputs", row),
            )

        self._run(body)

    def replace_audit_findings(self, rows: list[dict[str, Any]]) -> None:
        """Make `rows` the whole content of audit_findings, in one transaction.

        Rows are dicts keyed by the table's columns (baocao.audit.export.FINDING_COLUMNS);
        an empty list empties the table. If anything fails (a duplicate id, a severity
        the table refuses), the previous findings stay. Documents and facts are not
        touched, and reloads and prunes do not touch findings: the next audit run
        recomputes them.
        """
        values = [_finding_tuple(r) for r in rows]  # a missing column fails here, before the store is touched

        def body(tx: Tx) -> None:
            tx.lock("audit_findings")  # two audits replacing at once would otherwise mix their rows
            tx.execute("DELETE FROM audit_findings")
            if values:
                tx.insert("audit_findings", AUDIT_FINDINGS.column_names, values)

        self._run(body)

    def mark_duplicate(self, doc_id: str, duplicate_of: str | None) -> None:
        """Record that a document republishes another (None: it does not), for the views' source counts."""
        self._run(lambda tx: tx.execute("UPDATE documents SET duplicate_of = ? WHERE id = ?", (duplicate_of, doc_id)))

    def prune(self, existing_paths: Iterable[str]) -> list[str]:
        """Remove documents, facts and rejections of files that are gone; returns their paths."""
        existing = {str(p) for p in existing_paths}

        def body(tx: Tx) -> list[str]:
            docs = tx.execute("SELECT id, path FROM documents WHERE status <> 'deleted'")
            gone_docs = [(i, p) for i, p in docs if p not in existing]
            gone_rejections = [r[0] for r in tx.execute("SELECT DISTINCT path FROM rejected_inputs")]
            gone_rejections = [p for p in gone_rejections if p not in existing]
            ids = [i for i, _ in gone_docs]
            tx.lock(*(f"doc:{i}" for i in ids))
            self._delete_facts(tx, ids)
            for chunk in _chunks(ids):
                tx.execute(f"DELETE FROM rejected_inputs WHERE doc_id IN ({_marks(chunk)})", chunk)
                tx.execute(f"UPDATE documents SET status = 'deleted' WHERE id IN ({_marks(chunk)})", chunk)
            for chunk in _chunks(gone_rejections):
                tx.execute(f"DELETE FROM rejected_inputs WHERE path IN ({_marks(chunk)})", chunk)
            return sorted({p for _, p in gone_docs} | set(gone_rejections))

        removed = self._run(body)
        if removed:
            self._sweep()
        return removed

    def _sweep(self) -> None:
        """Delete tombstoned document rows in a transaction of their own (see ddl.DOCUMENT_STATUSES).

        Best effort: a tombstone left behind is invisible to every read and is
        swept on the next open.
        """
        try:
            self._run(lambda tx: tx.execute(_SWEEP))
        except StoreError as exc:
            log.warning("could not sweep deleted documents (will retry on next open): %s", exc)
