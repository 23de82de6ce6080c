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
from baocao.safe_text import shown
from baocao.store import DEFAULT_PATH
from pipeline import tasks
from pipeline.report import RejectedFile, RunSummary
from schemas.records import Rejection


@flow(name="baocao-consolidate", log_prints=False)
def consolidate(paths: list[str], db: str | None = None, run_audit: bool = True) -> RunSummary:
    files = expand(paths)
    summary = RunSummary(db=_safe_url(db) if db else str(DEFAULT_PATH), documents=len(files))
    console = Console(stderr=True)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[current]}"), console=console, transient=not console.is_terminal) as bar:
        job = bar.add_task("documents", total=len(files), current="")
        digests = tasks.fingerprints([str(p) for p in files])
        loaded = tasks.loaded_documents(db)
        for path in files:
            bar.update(job, current=escape(shown(path.name)))
            if digests.get(str(path)) in loaded:
                summary.unchanged += 1  # same bytes already loaded: nothing to read or extract
            else:
                _one(str(path), db, summary)
            bar.advance(job)
    if run_audit:
        state = tasks.audit(db, return_state=True)
        summary.audit = state.result() if state.is_completed() else None
    return summary


def _safe_url(db: str) -> str:
    """A database URL without its password, for printing."""
    return re.sub(r"(//[^:/@]+):[^@]*@", r"\1:***@", db)


def _one(path: str, db: str | None, summary: RunSummary) -> None:
    doc = tasks.ingest(path)
    if isinstance(doc, Rejection):
        _reject(db, doc, summary)
        return
    state = tasks.extract_facts(doc, return_state=True)
    if not state.is_completed():
        # An extractor bug on one document must not stop the run; say so and keep the rest.
        err = Rejection(path=path, name=doc.name, reason=f"extraction failed: {_message(state)}", error="extract_failed", doc_id=doc.id)
        _reject(db, err, summary)
        return
    extraction = state.result()
    counts = tasks.load(db, doc, extraction)
    summary.loaded += 1
    for k in ("figures", "doc_refs", "dates", "people"):
        summary.facts[k] += counts[k]


def _reject(db: str | None, rej: Rejection, summary: RunSummary) -> None:
    print(shown(f"rejected {rej.path}: {rej.reason}"), file=sys.stderr)
    tasks.record_rejection(db, rej)
    summary.rejected.append(RejectedFile(path=rej.path, error=rej.error, reason=rej.reason))


def _message(state) -> str:
    try:
        state.result()
    except Exception as e:  # noqa: BLE001 - the state holds whatever the task raised
        return f"{type(e).__name__}: {e}"
    return state.message or "unknown error"


def run_pipeline(paths: list[str], db: str | None = None, run_audit: bool = True) -> RunSummary:
    """Run the flow and return its summary (what `baocao run` calls)."""
    return consolidate(paths, db, run_audit)
