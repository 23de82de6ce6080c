"""The store's behaviour, written once over a small transaction interface.

Backends (duckdb_store.py, postgres_store.py) only open transactions, say which
errors are worth a retry, and take locks; everything the pipeline relies on
(what a load replaces, what a rejection keeps, what prune removes) lives here so
that both backends behave the same.

SQL here uses `?` placeholders; the PostgreSQL backend rewrites them to `%s`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import sys
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from schemas.records import Extraction, Rejection, SourceDocument

from . import migrations
from .comments import apply_comments
from .ddl import (
    AUDIT_FINDINGS,
    DOCUMENTS,
    FACT_TABLES,
    REJECTED_INPUTS,
    REVIEW_STATES,
    REVIEWS,
    TABLES,
    TABLES_BY_NAME,
    USERS,
    Dialect,
)
from .errors import StoreError, TransientStoreError
from .rows import (
    DocumentRows,
    as_tuple,
    document_rows,
    indicator_rows,
    label_rows,
    rejected_document_row,
    rejection_row,
    utcnow,
)

if TYPE_CHECKING:
    import pandas as pd

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


@dataclass(frozen=True)
class BatchLoad:
    """What `Store.load_batch` did: documents loaded, and documents the database refused (with why)."""

    loaded: list[LoadResult]
    failed: list[tuple[DocumentRows, str]]


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


def _update_column(tx: Tx, table: str, column: str, sql_type: str, values: Sequence[tuple[str, Any]]) -> None:
    """Set `column` of the rows of `table` whose id is given, in one UPDATE joined to a scratch
    table: one statement per row would cost thousands of round trips on a large store."""
    if not values:
        return
    scratch = f"new_{table}_{column}"
    tx.execute(f"CREATE TEMPORARY TABLE {scratch} (id TEXT PRIMARY KEY, value {sql_type})")
    tx.insert(scratch, ("id", "value"), values)
    tx.execute(f"UPDATE {table} SET {column} = s.value FROM {scratch} s WHERE {table}.id = s.id")
    tx.execute(f"DROP TABLE {scratch}")


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
            applied = {r[0] for r in tx.execute("SELECT version FROM schema_meta")}
            step = migrations.plan(current, self.dialect, applied=applied)
            for sql in step.statements:
                tx.execute(sql)
            now = utcnow()
            for m in step.versions:
                tx.execute(
                    "INSERT INTO schema_meta (version, description, applied_at) VALUES (?, ?, ?)",
                    (m.version, m.description, now),
                )
            if step.versions:  # a new or upgraded schema starts with its reference data and comments
                self._write_reference(tx)
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

    def fetch_dfs(self, statements: Sequence[tuple[str, Sequence[Any] | None]]) -> list[pd.DataFrame]:
        """Several read queries in one transaction: one snapshot, and one connection to open (DuckDB
        opens the file per transaction, which costs more than a small query)."""

        def body(tx: Tx) -> list[tuple[list[str], list[tuple[Any, ...]]]]:
            return [tx.query(sql, params) for sql, params in statements]

        import pandas as pd

        return [pd.DataFrame.from_records(rows, columns=cols) for cols, rows in self._run(body, write=False)]

    def fetch_df(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """Run a read query; values come back as Python objects (date, float, str, None) on both backends."""
        import pandas as pd

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
        return self._load(document_rows(doc, extraction, extractor_version))

    def load_batch(self, items: Sequence[DocumentRows]) -> BatchLoad:
        """Store many documents (rows built by `rows.document_rows`) in one transaction.

        Each document replaces what its bytes and its path had, exactly as `load_document`
        does. The whole batch commits or nothing does, so every document is still all in
        or all out (a killed run leaves no half-loaded document). When the database refuses
        the batch because of one document (a value it cannot hold), the documents are loaded
        one transaction each, and the ones it still refuses come back in `failed`.
        """
        if not items:
            return BatchLoad([], [])
        try:
            results = self._run(lambda tx: self._write(tx, items, utcnow()))
            if any(r.replaced for r in results):
                self._sweep()
            return BatchLoad(results, [])
        except TransientStoreError:
            raise
        except StoreError:
            if len(items) == 1:
                raise
        done: list[LoadResult] = []
        failed: list[tuple[DocumentRows, str]] = []
        for item in items:
            try:
                done.append(self._load(item))
            except TransientStoreError:
                raise
            except StoreError as exc:
                failed.append((item, str(exc)))
        return BatchLoad(done, failed)

    def _load(self, item: DocumentRows) -> LoadResult:
        (result,) = self._run(lambda tx: self._write(tx, [item], utcnow()))
        if result.replaced:
            self._sweep()
        return result

    def _write(self, tx: Tx, items: Sequence[DocumentRows], now: dt.datetime) -> list[LoadResult]:
        """Write documents in one open transaction. Only the rows of these documents are looked up
        (by primary key, and by path) and only theirs are deleted, so that a load costs the same
        whatever the store already holds."""
        ids = list(dict.fromkeys(i.doc_id for i in items))
        path_of = {i.path: i.doc_id for i in items}
        tx.lock(*(f"doc:{i}" for i in ids), *(f"path:{p}" for p in path_of))
        # Rows already there under these ids (tombstones included: the upsert revives them) ...
        present: set[str] = set()
        for chunk in _chunks(ids):
            present.update(r[0] for r in tx.execute(f"SELECT id FROM documents WHERE id IN ({_marks(chunk)})", chunk))
        # ... and other documents loaded from these paths: a changed file replaces them.
        stale: dict[str, str] = {}  # id -> path
        for chunk in _chunks(list(path_of)):
            for d, p in tx.execute(
                f"SELECT id, path FROM documents WHERE path IN ({_marks(chunk)}) AND status <> 'deleted'", chunk
            ):
                if d != path_of[p] and d not in path_of.values():
                    stale[d] = p
        # Only documents the store already held can have facts or rejections to remove.
        self._delete_facts(tx, [d for d in ids if d in present] + list(stale))
        # The files now load: earlier rejections of these paths or these bytes are stale.
        for chunk in _chunks(list(path_of)):
            tx.execute(f"DELETE FROM rejected_inputs WHERE path IN ({_marks(chunk)})", chunk)
        for chunk in _chunks(ids + list(stale)):
            tx.execute(f"DELETE FROM rejected_inputs WHERE doc_id IN ({_marks(chunk)})", chunk)
        for chunk in _chunks(list(stale)):
            tx.execute(f"UPDATE documents SET status = 'deleted' WHERE id IN ({_marks(chunk)})", chunk)
        # The same bytes twice (a copied file): one document, at the path loaded last.
        latest = {i.doc_id: i for i in items}
        rows = [{**i.document, "loaded_at": now} for i in latest.values()]
        for row in rows:
            if row["id"] in present:  # a reload: update in place, keeping the audit's duplicate_of
                tx.execute(_UPSERT_DOCUMENT, as_tuple("documents", row))
        self._insert_rows(tx, "documents", [r for r in rows if r["id"] not in present])
        for table in FACT_TABLES:
            self._insert_rows(tx, table, [r for i in latest.values() for r in i.facts[table]])
        return [
            LoadResult(
                doc_id=i.doc_id,
                path=i.path,
                figures=i.count("figures"),
                doc_refs=i.count("doc_refs"),
                dates=i.count("dates"),
                people=i.count("people"),
                replaced=tuple(sorted(d for d, p in stale.items() if p == i.path)),
            )
            for i in items
        ]

    def record_rejection(self, rej: Rejection) -> None:
        """Note an input that could not be ingested; loaded data is never touched."""
        self.record_rejections([rej])

    def record_rejections(self, rejections: Sequence[Rejection]) -> None:
        """`record_rejection` for many inputs, in one transaction."""
        if not rejections:
            return
        now = utcnow()

        def body(tx: Tx) -> None:
            tx.lock(*(f"doc:{r.doc_id}" for r in rejections if r.doc_id), *(f"path:{r.path}" for r in rejections))
            for rej in rejections:
                if rej.doc_id:
                    tx.execute(_UPSERT_REJECTED_DOCUMENT, as_tuple("documents", rejected_document_row(rej, now)))
                tx.execute(_UPSERT_REJECTION, as_tuple("rejected_inputs", rejection_row(rej, now)))

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

    def replace_organizations(
        self,
        organizations: list[dict[str, Any]],
        aliases: list[dict[str, Any]],
        assignments: list[tuple[str, str | None]],
    ) -> int:
        """Make `organizations` and `aliases` the whole registry and point figures at it, in one transaction.

        `assignments` are (figure id, organization id or None) for the figures whose
        organization changes; the others keep theirs. Returns how many figures changed.
        Rows are dicts keyed by the tables' columns (baocao.organizations.registry).
        """
        orgs = [as_tuple("organizations", r) for r in organizations]
        alias_rows = [as_tuple("organization_aliases", r) for r in aliases]

        def body(tx: Tx) -> int:
            tx.lock("organizations")  # two runs rebuilding the registry at once would mix their rows
            tx.execute("DELETE FROM organization_aliases")
            tx.execute("DELETE FROM organizations")
            if orgs:
                tx.insert("organizations", TABLES_BY_NAME["organizations"].column_names, orgs)
            if alias_rows:
                tx.insert("organization_aliases", TABLES_BY_NAME["organization_aliases"].column_names, alias_rows)
            _update_column(tx, "figures", "organization_id", "TEXT", assignments)
            return len(assignments)

        return self._run(body)

    def set_mentioned_years(self, changes: list[tuple[str, int | None]]) -> None:
        """documents.mentioned_year for (document id, year) pairs (baocao.organizations.periods)."""

        self._run(lambda tx: _update_column(tx, "documents", "mentioned_year", "INTEGER", changes))

    def refresh_reference_data(self) -> int:
        """Rewrite the labels and official_indicators tables from the shipped data files and bring
        every table, view and column comment up to date; returns how many comments were written."""
        return self._run(self._write_reference)

    def _write_reference(self, tx: Tx) -> int:
        tx.lock("reference")
        segments = [r[0] for r in tx.execute("SELECT DISTINCT segment FROM figures WHERE segment IS NOT NULL")]
        details = [r[0] for r in tx.execute("SELECT DISTINCT detail FROM figures WHERE detail IS NOT NULL")]
        for table, rows in (("labels", label_rows(segments, details)), ("official_indicators", indicator_rows())):
            tx.execute(f"DELETE FROM {table}")
            tx.insert(table, TABLES_BY_NAME[table].column_names, [as_tuple(table, r) for r in rows])
        return apply_comments(tx, self.dialect)

    # --- review app: texts, reviews, users ----------------------------------

    def document_text(self, doc_id: str) -> tuple[str, list[tuple[int, int, int]]] | None:
        """The normalized text of a loaded document and its pages (number, start, end); None if not kept."""
        rows = self._run(
            lambda tx: tx.execute("SELECT text, pages FROM document_texts WHERE doc_id = ?", (doc_id,)), write=False
        )
        if not rows:
            return None
        text, pages = rows[0]
        return text, [tuple(p) for p in json.loads(pages or "[]")]

    def add_review(
        self, finding_id: str, state: str, reviewer: str, note: str | None = None,
        rule: str | None = None, arithmetic: str | None = None,
    ) -> dict[str, Any]:
        """Record what a reviewer did to a finding (a new row; earlier ones stay as its history)."""
        if state not in REVIEW_STATES:
            raise ValueError(f"unknown review state {state!r}: use one of {', '.join(REVIEW_STATES)}")
        if not reviewer:
            raise ValueError("a review needs a reviewer")
        row = {
            "id": uuid.uuid4().hex, "finding_id": finding_id, "state": state, "note": note or None,
            "reviewer": reviewer, "created_at": utcnow(), "rule": rule, "arithmetic": arithmetic,
        }
        self._run(lambda tx: tx.insert("reviews", REVIEWS.column_names, [as_tuple("reviews", row)]))
        return row

    def reviews(self, finding_id: str | None = None) -> pd.DataFrame:
        """Review rows, oldest first (of one finding, or all)."""
        where, params = ("WHERE finding_id = ?", [finding_id]) if finding_id else ("", None)
        return self.fetch_df(f"SELECT * FROM reviews {where} ORDER BY created_at, id", params)

    def review_states(self) -> dict[str, dict[str, Any]]:
        """finding id -> its latest settling review (state, reviewer, created_at, note); comments do not settle."""
        df = self.fetch_df(
            "SELECT finding_id, state, reviewer, created_at, note FROM reviews "
            "WHERE state <> 'commented' ORDER BY created_at, id"
        )
        return {r["finding_id"]: r for r in df.to_dict("records")}

    def set_user(self, name: str, password_hash: str) -> bool:
        """Add a user who may log in, or give an existing one a new password; True when the user is new."""

        def body(tx: Tx) -> bool:
            tx.lock(f"user:{name}")
            new = not tx.execute("SELECT 1 FROM users WHERE name = ?", (name,))
            if new:
                tx.insert("users", USERS.column_names, [(name, password_hash, utcnow())])
            else:
                tx.execute("UPDATE users SET password_hash = ? WHERE name = ?", (password_hash, name))
            return new

        return self._run(body)

    def password_hash(self, name: str) -> str | None:
        rows = self._run(lambda tx: tx.execute("SELECT password_hash FROM users WHERE name = ?", (name,)), write=False)
        return rows[0][0] if rows else None

    def user_names(self) -> list[str]:
        return [r[0] for r in self._run(lambda tx: tx.execute("SELECT name FROM users ORDER BY name"), write=False)]

    def remove_user(self, name: str) -> bool:
        def body(tx: Tx) -> bool:
            found = bool(tx.execute("SELECT 1 FROM users WHERE name = ?", (name,)))
            tx.execute("DELETE FROM users WHERE name = ?", (name,))
            return found

        return self._run(body)

    def mark_duplicate(self, doc_id: str, duplicate_of: str | None) -> None:
        """Record that a document republishes another (None: it does not), for the views' source counts."""
        self.mark_duplicates({doc_id: duplicate_of})

    def mark_duplicates(self, originals: Mapping[str, str | None]) -> None:
        """`mark_duplicate` for many documents at once, in one transaction."""
        pairs = [(doc_id, original) for doc_id, original in originals.items()]

        def body(tx: Tx) -> None:
            for chunk in _chunks(pairs):
                values = ", ".join("(?, ?)" for _ in chunk)
                tx.execute(
                    f"UPDATE documents SET duplicate_of = c.original FROM (VALUES {values}) AS c(id, original) "
                    "WHERE documents.id = c.id",
                    [v for pair in chunk for v in pair],
                )

        if pairs:
            self._run(body)

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
