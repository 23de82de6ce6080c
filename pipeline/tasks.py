"""Prefect tasks: each takes paths, hashes and plain records and returns plain records.

One task run per batch of documents, not per document and stage: a batch is read (ingest,
normalize, extract, resolve, rows) in a worker process (pipeline.pool), then loaded in one transaction by
the flow. Parsing and extraction are deterministic, so they are never retried; loading can
meet a busy or briefly unreachable store, so it is retried. A batch read is cached on the
content hashes of its files (with their paths and the rules' fingerprints), so the same
bytes are not extracted twice, e.g. after a run was killed between reading and loading.
"""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from baocao.ingest.limits import Limits
from baocao.store import TransientStoreError
from pipeline import pool, stores, work
from pipeline.report import LoadCounts
from schemas.records import Rejection

EXTRACTOR_VERSION = work.rules_fingerprint()
ROWS_VERSION = work.rows_fingerprint()


def _transient(task, task_run, state) -> bool:
    try:
        state.result()
    except TransientStoreError:
        return True
    except Exception:  # noqa: BLE001 - any other failure is not worth a retry
        return False
    return False


def batch_label(files: list[work.FileToRead]) -> str:
    """How a batch is named in Prefect: its first and last file, and how many."""
    first, last = files[0].path.rsplit("/", 1)[-1], files[-1].path.rsplit("/", 1)[-1]
    return f"{first} ({len(files)})" if len(files) == 1 else f"{first} … {last} ({len(files)})"


def _read_key(context, parameters: dict[str, Any]) -> str:
    limits = parameters.get("limits")  # a limit changes what a file gives (read, or rejected)
    h = hashlib.sha256(f"{parameters['extractor_version']}|{ROWS_VERSION}|{limits.model_dump_json() if limits else ''}".encode())
    for f in parameters["files"]:
        h.update(f"\0{f.path}\0{f.digest}".encode())
    return f"read-{h.hexdigest()}"


def _unquoted(value: Any) -> Any:
    return value.unquote() if isinstance(value, quote) else value


def _read_name(parameters: dict[str, Any]) -> str:
    return f"read {batch_label(parameters['files'])}"


@task(name="read-documents", task_run_name=_read_name, cache_key_fn=_read_key,
      cache_expiration=timedelta(days=30), persist_result=True)
def read_documents(files: list[work.FileToRead], extractor_version: str, limits: Limits | None = None) -> work.ReadBatch:
    """Ingest, normalize, extract and resolve a batch of files into table rows (in a worker process
    of the pool, or on a Dask worker; each file isolated, within `limits`)."""
    return pool.read_batch(files, extractor_version, limits)


@task(name="plan", task_run_name="hash files and check the store", cache_policy=NO_CACHE, retries=3,
      retry_delay_seconds=[1, 2, 4], retry_condition_fn=_transient)
def plan(paths: list[str], db: str | None) -> work.Plan:
    """Which files to read: those whose bytes the store does not hold, complete, with facts from the
    current rules. A document loaded by other rules (an upgrade of baocao, a database migrated from
    an older schema) is read again, so its facts and the columns added since are brought up to date;
    so is one loaded before the store kept document texts (schema 8)."""
    rows = stores.store_for(db).fetch_df(
        "SELECT d.id, d.extractor_version FROM documents d JOIN document_texts t ON t.doc_id = d.id "
        "WHERE d.status = 'loaded'"
    )
    loaded = {i for i, v in zip(rows["id"], rows["extractor_version"], strict=True) if v == EXTRACTOR_VERSION}
    return work.plan(paths, loaded)


def _load_name(parameters: dict[str, Any]) -> str:
    batch = _unquoted(parameters["batch"])
    n = len(batch.rows) + len(batch.rejections)
    return f"load {n} document{'s' if n != 1 else ''}"


# The store retries a busy or unreachable server itself (each retry of an outage said in one line,
# RetryPolicy.outage_delays); what still fails is an outage the run reports, not a task to retry.

@task(name="load-documents", task_run_name=_load_name, cache_policy=NO_CACHE)
def load_documents(db: str | None, batch: work.ReadBatch) -> LoadCounts:
    """One transaction for the batch's documents (each replacing what it had), then its rejections.
    When the store cannot be reached, nothing of the batch is loaded and `store_down` says why."""
    started = time.process_time()
    try:
        store = stores.store_for(db)
        outcome = store.load_batch(batch.rows)
        rejected = list(batch.rejections)
        for item, reason in outcome.failed:  # the database refused this document alone: say why, go on
            rejected.append(Rejection(path=item.path, name=item.document["name"], reason=f"load failed: {reason}",
                                      error="load_failed", doc_id=item.doc_id))
        store.record_rejections(rejected)
    except TransientStoreError as e:
        return LoadCounts(store_down=str(e), seconds=time.process_time() - started)
    counts = LoadCounts(loaded=len(outcome.loaded), rejected=rejected)
    for r in outcome.loaded:
        counts.facts["figures"] += r.figures
        counts.facts["doc_refs"] += r.doc_refs
        counts.facts["dates"] += r.dates
        counts.facts["people"] += r.people
    counts.seconds = time.process_time() - started  # CPU of the flow's process, as the workers' stages
    return counts


@task(name="organize", task_run_name="organize the whole store", cache_policy=NO_CACHE)
def organize(db: str | None) -> dict[str, int] | str:
    """Labels and indicators brought up to date, the organization registry rebuilt from the loaded
    subjects, figures linked to it, undated documents dated by the years they name; the store's
    error message when it is unreachable."""
    from baocao.organizations import organize as run_organize

    try:
        result = run_organize(stores.store_for(db))
    except TransientStoreError as e:
        return str(e)
    return {"organizations": result.organizations, "linked": result.with_organization,
            "with_subject": result.with_subject}


@task(name="audit", task_run_name="audit the whole store", cache_policy=NO_CACHE)
def audit(db: str | None) -> dict[str, int] | str:
    """The audit of the whole store, its report next to the database; the store's error message when
    it is unreachable."""
    from baocao.audit import report_paths, run_audit

    html, csv = report_paths(db)
    try:
        return run_audit(stores.store_for(db), html_path=html, csv_path=csv).counts_by_severity()
    except TransientStoreError as e:
        return str(e)
