"""Prefect tasks: each takes paths, hashes and plain records and returns plain records.

Parsing and extraction are deterministic, so they are never retried; loading can meet a
busy or briefly unreachable store, so it is retried.  Extraction is cached on the
document's content hash (plus the extractor version), so an unchanged document is not
extracted again.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import timedelta
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from baocao.ingest import IngestError, Limits, read_document
from baocao.ingest.errors import READER_CRASHED, READER_TIMEOUT
from baocao.isolation import run_isolated
from baocao.resolve import resolve
from baocao.store import TransientStoreError, open_store
from extractors import extract
from extractors.rules import Rules, load_rules
from schemas.records import Extraction, Rejection, SourceDocument


@functools.cache
def _rules() -> Rules:
    """The shipped extraction rules, loaded once per worker process (a task takes paths and
    records, never the rules object itself)."""
    return load_rules()


def _fingerprint_of_rules() -> str:
    """Hash of the extraction code, its data files and the record schema: a cached extraction
    is reused only while none of them has changed."""
    import extractors
    import schemas.records

    h = hashlib.sha256()
    root = Path(extractors.__file__).parent
    for f in sorted([*root.rglob("*.py"), *root.rglob("*.json"), *root.rglob("*.jsonl"), Path(schemas.records.__file__)]):
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


EXTRACTOR_VERSION = _fingerprint_of_rules()


@task(name="ingest", cache_policy=NO_CACHE)
def ingest(path: str, limits: Limits | None = None) -> SourceDocument | Rejection:
    """Read and normalize one file; a bad file becomes a Rejection, not an exception."""
    try:
        return read_document(path, limits)
    except IngestError as e:
        return e.to_rejection(path)


_WARM_UP = "Từ đầu năm đến nay, Đảng bộ Khối doanh nghiệp tỉnh kết nạp được 141 đảng viên mới."


def warm_up() -> None:
    """Load the rules and the NLP models once in the run's process, before any worker is forked
    from it: each worker then starts with them (copy-on-write) instead of loading them again."""
    rules = _rules()
    extract(_WARM_UP, rules)


def read_and_extract(path: str, limits: Limits) -> tuple[SourceDocument, Extraction] | Rejection:
    """Read, normalize and extract one file (what runs in the isolated worker)."""
    try:
        doc = read_document(path, limits)
    except IngestError as e:
        return e.to_rejection(path)
    rules = _rules()
    return doc, resolve(doc, extract(doc.text, rules, doc.tables), rules)


@task(name="read", cache_policy=NO_CACHE)
def read(path: str, limits: Limits) -> tuple[SourceDocument, Extraction] | Rejection:
    """read_and_extract in a process of its own, killed past limits.max_seconds: a file that crashes or
    hangs a reader (a native library fault, an endless loop) is rejected and the run goes on."""
    outcome = run_isolated(read_and_extract, (path, limits), limits.max_seconds)
    name = Path(path).name
    if outcome.timed_out:
        return Rejection(path=path, name=name, error=READER_TIMEOUT, limit="max_seconds",
                         reason=f"{name}: reading and extracting took longer than the limit max_seconds = "
                                f"{limits.describe('max_seconds')} s; the worker was stopped (raise it with "
                                "--limit max_seconds=N)")
    if outcome.crashed:
        return Rejection(path=path, name=name, error=READER_CRASHED,
                         reason=f"{name}: the reader crashed on this file ({outcome.crashed}); the file is damaged "
                                "or hostile, and the run went on without it")
    if outcome.error is not None:
        e = outcome.error
        return Rejection(path=path, name=name, error="extract_failed", reason=f"extraction failed: {type(e).__name__}: {e}")
    return outcome.value


def _extraction_key(context, parameters) -> str:
    return f"extract-{parameters['doc'].id}-{EXTRACTOR_VERSION}"


@task(name="extract", cache_key_fn=_extraction_key, cache_expiration=timedelta(days=365), persist_result=True)
def extract_facts(doc: SourceDocument) -> Extraction:
    """Figures, document references and dates of one document, tied to its pages."""
    rules = _rules()
    return resolve(doc, extract(doc.text, rules, doc.tables), rules)


def _transient(task, task_run, state) -> bool:
    try:
        state.result()
    except TransientStoreError:
        return True
    except Exception:  # noqa: BLE001 - any other failure is not worth a retry
        return False
    return False


@task(name="fingerprint", cache_policy=NO_CACHE)
def fingerprints(paths: list[str]) -> dict[str, str | None]:
    """SHA-256 of each file's bytes (the document id), None when it cannot be read: hashing is
    cheap, parsing a PDF is not, so unchanged documents are recognized before they are read."""
    out: dict[str, str | None] = {}
    for p in paths:
        try:
            h = hashlib.sha256()
            with open(p, "rb") as f:
                for block in iter(lambda f=f: f.read(1 << 20), b""):
                    h.update(block)
            out[p] = h.hexdigest()
        except OSError:
            out[p] = None
    return out


@task(name="loaded-documents", cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[1, 2, 4], retry_condition_fn=_transient)
def loaded_documents(db: str | None) -> set[str]:
    """Ids of the documents the store already holds, complete, with facts from the current rules.
    A document loaded by other rules (an upgrade of baocao, a database migrated from an older
    schema) is read again, so its facts and the columns added since are brought up to date."""
    with open_store(db) as store:
        rows = store.fetch_df("SELECT id, extractor_version FROM documents WHERE status = 'loaded'")
    return {i for i, v in zip(rows["id"], rows["extractor_version"], strict=True) if v == EXTRACTOR_VERSION}


# The store retries a busy or unreachable server itself (each retry of an outage said in one line,
# RetryPolicy.outage_delays); what still fails is an outage the run reports, not a task to retry.

@task(name="load", cache_policy=NO_CACHE)
def load(db: str | None, doc: SourceDocument, extraction: Extraction) -> dict[str, int] | str:
    """Replace the document's facts in one transaction; the store's error message when it is unreachable."""
    try:
        with open_store(db) as store:
            result = store.load_document(doc, extraction, EXTRACTOR_VERSION)
    except TransientStoreError as e:
        return str(e)
    return {"figures": result.figures, "doc_refs": result.doc_refs, "dates": result.dates, "people": result.people,
            "replaced": len(result.replaced)}


@task(name="record-rejection", cache_policy=NO_CACHE)
def record_rejection(db: str | None, rejection: Rejection) -> str | None:
    """Note a rejection; the store's error message when it is unreachable."""
    try:
        with open_store(db) as store:
            store.record_rejection(rejection)
    except TransientStoreError as e:
        return str(e)
    return None


@task(name="audit", cache_policy=NO_CACHE)
def audit(db: str | None) -> dict[str, int] | str:
    from baocao.audit import report_paths, run_audit

    html, csv = report_paths(db)
    try:
        with open_store(db) as store:
            result = run_audit(store, html_path=html, csv_path=csv)
    except TransientStoreError as e:
        return str(e)
    return result.counts_by_severity()
