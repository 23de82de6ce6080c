"""The Prefect flow: ingest → normalize → extract → resolve → load → audit, over batches of documents.

Stages, in order (each a task, or a task per batch):
1. plan: hash every file, keep those whose bytes the store does not hold from the current rules;
2. read: batches of files go to worker processes (pipeline.pool: extraction is CPU-bound; or a Dask cluster),
   each ingested, normalized, extracted, resolved and turned into rows there;
3. load: as each batch comes back, the flow loads it in one transaction into the store it keeps
   open for the run;
4. after loading, the stages over the whole store: organize (labels, indicators, the organization
   registry rebuilt from the loaded subjects, figures linked to it), then the audit.

One bad document fails alone: it is recorded as rejected and the run goes on.
"""

from __future__ import annotations

import os
import sys
import time

from prefect import flow
from prefect.futures import as_completed
from prefect.utilities.annotations import quote

from baocao.files import expand
from baocao.ingest import Limits
from baocao.safe_text import shown
from baocao.store import DEFAULT_PATH
from pipeline import pool, progress, stores, tasks, work
from pipeline.report import RejectedFile, RunSummary, safe_url
from schemas.records import Rejection


@flow(name="baocao-consolidate", log_prints=False)
def consolidate(paths: list[str], db: str | None = None, run_audit: bool = True, workers: int | None = None,
                limits: Limits | None = None) -> RunSummary:
    """Read, extract and load every new or changed document under `paths`, then audit the store.

    `workers`: how many batches are read at once (the task runner's workers; default: the CPUs);
    `limits`: the bounds on each input (default: Limits(), the settings and the environment).
    """
    limits = limits or Limits()
    from prefect.runtime import flow_run

    report = progress.current()
    files = [str(p) for p in expand(paths)]
    summary = RunSummary(db=safe_url(db) if db else str(DEFAULT_PATH), documents=len(files), flow_run_id=flow_run.id)
    try:
        report.stage(f"hashing {len(files):,} files")
        plan = tasks.plan(files, db)
        summary.unchanged = plan.unchanged
        report.start(len(files), done=plan.unchanged)
        _read_and_load(plan, db, workers or os.cpu_count() or 1, limits, summary, report)
        if summary.store_down:
            print(shown(f"the store is unreachable ({summary.store_down}); {len(summary.not_loaded)} document(s) not "
                        "loaded, the ones loaded before stay: run again to complete them"), file=sys.stderr)
        else:
            _after_load(db, run_audit, summary, report)
    finally:
        stores.close_all()
    return summary


def _read_and_load(plan: work.Plan, db: str | None, workers: int, limits: Limits, summary: RunSummary,
                   report: progress.Reporter) -> None:
    batches = list(work.batches(plan.to_read, workers))
    summary.batches = len(batches)
    if not batches:
        pool.stop(now=True)  # nothing to read: the workers need not finish loading the models
        return
    report.stage(f"reading {len(plan.to_read):,} documents on {workers} workers")
    futures = {}
    for files in batches:
        future = tasks.read_documents.submit(files, tasks.EXTRACTOR_VERSION, limits)
        futures[future.task_run_id] = (future, files)
    for future in as_completed([f for f, _ in futures.values()]):
        files = futures.pop(future.task_run_id)[1]
        if summary.store_down:  # the store is gone: what is still being read waits for a rerun
            summary.not_loaded.extend(f.path for f in files)
        else:
            _load_batch(future, files, db, summary)
        report.advance(len(files), current=os.path.basename(files[-1].path))


def _load_batch(future, files: list[work.FileToRead], db: str | None, summary: RunSummary) -> None:
    """Load what reading one batch gave (or its rejections) and count it in the summary."""
    future.wait()  # sets the final state from the runner, without asking the server for it
    state = future.state
    if state.is_completed():
        batch = state.result()
        if state.name == "Cached":
            summary.reused += len(batch.rows)  # read by an earlier run: no time spent on it now
        else:
            for stage, s in batch.seconds.items():
                summary.add_seconds(stage, s)
    else:
        # The whole batch failed (a worker died): its files are rejected, and read again next run.
        reason = f"reading failed: {_message(state)}"
        batch = work.ReadBatch(rejections=[Rejection(path=f.path, name=os.path.basename(f.path), reason=reason,
                                                     error="extract_failed", doc_id=f.digest) for f in files])
    counts = tasks.load_documents(db, quote(batch))
    summary.add_seconds("load", counts.seconds)
    if counts.store_down:
        summary.store_down = counts.store_down
        summary.not_loaded.extend(f.path for f in files)
        return
    for r in batch.rows:
        if r.document.get("quality") == "partial":
            note = r.document.get("quality_note") or ""
            print(shown(f"partial {r.path}: {note}"), file=sys.stderr)
            summary.partial.append(RejectedFile(path=r.path, error="partial", reason=note))
    summary.loaded += counts.loaded
    for kind, n in counts.facts.items():
        summary.facts[kind] += n
    for rej in counts.rejected:
        _say_rejected(rej, summary)


def _after_load(db: str | None, run_audit: bool, summary: RunSummary, report: progress.Reporter) -> None:
    """Stages over the whole store, once every document is loaded."""
    # The registry is derived data: if building it fails, what was loaded stays and the audit still runs.
    summary.organizations = _whole_store_stage(tasks.organize, "organize", "organizing", db, summary, report)
    if run_audit:
        summary.audit = _whole_store_stage(tasks.audit, "audit", "auditing", db, summary, report)


def _whole_store_stage(task, name: str, doing: str, db: str | None, summary: RunSummary,
                       report: progress.Reporter) -> dict[str, int] | None:
    """Run a task over the whole store; its counts, or None when it failed or the store was out."""
    report.stage(doing)
    started = time.process_time()
    state = task(db, return_state=True)
    result = state.result() if state.is_completed() else None
    summary.add_seconds(name, time.process_time() - started)
    return result if isinstance(result, dict) else None


def _say_rejected(rej: Rejection, summary: RunSummary) -> None:
    print(shown(f"rejected {rej.path}: {rej.reason}"), file=sys.stderr)
    summary.rejected.append(RejectedFile(path=rej.path, error=rej.error, reason=rej.reason))


def _message(state) -> str:
    try:
        state.result()
    except Exception as e:  # noqa: BLE001 - the state holds whatever the task raised
        return f"{type(e).__name__}: {e}"
    return state.message or "unknown error"


def run_pipeline(paths: list[str], db: str | None = None, run_audit: bool = True, *, workers: int | None = None,
                 dask: str | None = None, reporter: progress.Reporter | None = None,
                 limits: Limits | None = None) -> RunSummary:
    """Run the flow and return its summary (what `baocao run` calls).

    `workers`: processes reading batches (default: the CPUs); `dask`: run the batches on a Dask
    cluster instead, "local" for a LocalCluster of `workers` processes or a scheduler address
    (tcp://host:8786); `reporter`: where progress goes (progress.for_console); `limits`: the bounds
    on each input (baocao.ingest.limits.Limits).
    """
    from pipeline import runners, server

    n = workers or os.cpu_count() or 1
    if dask is None:
        pool.start(n)  # `baocao run` started it already, before importing Prefect
    url = server.start_api()
    try:
        with progress.reporting(reporter or progress.Reporter()) as report:
            if url is not None:
                report.stage("waiting for Prefect's temporary server (PREFECT_API_URL unset; see README)")
            server.wait_api()
            flow_ = consolidate.with_options(task_runner=runners.task_runner(n, dask))
            return flow_(paths, db, run_audit, workers=n, limits=limits)
    finally:
        pool.stop()
