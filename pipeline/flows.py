"""The Prefect flow: ingest → normalize → extract → resolve → load → audit, one document at a time.

One bad document fails alone: it is recorded as rejected and the run goes on.
"""

from __future__ import annotations

import re
import sys

from prefect import flow
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from baocao.files import expand
from baocao.ingest import Limits
from baocao.safe_text import shown
from baocao.store import DEFAULT_PATH
from pipeline import tasks
from pipeline.report import RejectedFile, RunSummary
from schemas.records import Rejection


@flow(name="baocao-consolidate", log_prints=False)
def consolidate(paths: list[str], db: str | None = None, run_audit: bool = True,
                limits: Limits | None = None) -> RunSummary:
    limits = limits or Limits()
    files = expand(paths)
    summary = RunSummary(db=_safe_url(db) if db else str(DEFAULT_PATH), documents=len(files))
    console = Console(stderr=True)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[current]}"), console=console, transient=not console.is_terminal) as bar:
        job = bar.add_task("documents", total=len(files), current="")
        digests = tasks.fingerprints([str(p) for p in files])
        tasks.warm_up()
        loaded = tasks.loaded_documents(db)
        for path in files:
            bar.update(job, current=escape(shown(path.name)))
            if summary.store_down:
                summary.not_loaded.append(str(path))  # the store is gone: the rest waits for a rerun
            elif digests.get(str(path)) in loaded:
                summary.unchanged += 1  # same bytes already loaded: nothing to read or extract
            else:
                _one(str(path), db, summary, limits)
            bar.advance(job)
    if summary.store_down:
        print(shown(f"the store is unreachable ({summary.store_down}); {len(summary.not_loaded)} document(s) not "
                    "loaded, the ones loaded before stay: run again to complete them"), file=sys.stderr)
    elif run_audit:
        state = tasks.audit(db, return_state=True)
        result = state.result() if state.is_completed() else None
        summary.audit = result if isinstance(result, dict) else None
    return summary


def _safe_url(db: str) -> str:
    """A database URL without its password, for printing."""
    return re.sub(r"(//[^:/@]+):[^@]*@", r"\1:***@", db)


def _one(path: str, db: str | None, summary: RunSummary, limits: Limits) -> None:
    # Read and extract in a worker process of its own: a crash or a hang of a reader is one rejection.
    read = tasks.read(path, limits)
    if isinstance(read, Rejection):
        _reject(db, read, summary)
        return
    doc, extraction = read
    if doc.quality == "partial":
        print(shown(f"partial {path}: {doc.quality_note}"), file=sys.stderr)
        summary.partial.append(RejectedFile(path=path, error="partial", reason=doc.quality_note or ""))
    counts = tasks.load(db, doc, extraction)
    if isinstance(counts, str):
        summary.store_down = counts
        summary.not_loaded.append(path)
        return
    summary.loaded += 1
    for k in ("figures", "doc_refs", "dates", "people"):
        summary.facts[k] += counts[k]


def _reject(db: str | None, rej: Rejection, summary: RunSummary) -> None:
    print(shown(f"rejected {rej.path}: {rej.reason}"), file=sys.stderr)
    down = tasks.record_rejection(db, rej)
    if down:
        summary.store_down = down
    summary.rejected.append(RejectedFile(path=rej.path, error=rej.error, reason=rej.reason))


def run_pipeline(paths: list[str], db: str | None = None, run_audit: bool = True,
                 limits: Limits | None = None) -> RunSummary:
    """Run the flow and return its summary (what `baocao run` calls)."""
    return consolidate(paths, db, run_audit, limits)
