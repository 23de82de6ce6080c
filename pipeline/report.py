"""What a run did, as a record and as a table on the terminal."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field
from rich.console import Console
from rich.table import Table
from rich.text import Text

from baocao.safe_text import shown
from schemas.records import Rejection


class RejectedFile(BaseModel):
    path: str
    error: str
    reason: str


def safe_url(db: str) -> str:
    """A database URL without its password, for printing."""
    return re.sub(r"(//[^:/@]+):[^@]*@", r"\1:***@", db)


def _no_facts() -> dict[str, int]:
    return {"figures": 0, "doc_refs": 0, "dates": 0, "people": 0}


class LoadCounts(BaseModel):
    """What loading one batch did."""

    loaded: int = 0
    facts: dict[str, int] = Field(default_factory=_no_facts)
    rejected: list[Rejection] = Field(default_factory=list)
    store_down: str | None = None  # the store could not be reached: nothing of the batch was loaded
    seconds: float = 0.0


class RunSummary(BaseModel):
    db: str
    flow_run_id: str | None = Field(default=None, description="the Prefect flow run, to look it up in Prefect's UI or API")
    documents: int = 0
    loaded: int = 0
    unchanged: int = 0
    reused: int = Field(default=0, description="documents whose rows came from the cache of an earlier read")
    batches: int = 0
    facts: dict[str, int] = Field(default_factory=_no_facts)
    rejected: list[RejectedFile] = Field(default_factory=list)
    partial: list[RejectedFile] = Field(default_factory=list)  # loaded, some pages unreadable (named)
    store_down: str | None = None  # why the store could not be reached, when it went away during the run
    not_loaded: list[str] = Field(default_factory=list)  # documents left for a rerun because of that
    organizations: dict[str, int] | None = None  # registry size and figures linked (tasks.organize)
    audit: dict[str, int] | None = None
    # CPU seconds spent in each stage's own code, summed over documents (ingest, extract and rows
    # in the worker processes, load and audit in the flow's): what the run's time went to.
    seconds: dict[str, float] = Field(default_factory=dict)

    def add_seconds(self, stage: str, s: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + s


def print_summary(s: RunSummary, console: Console | None = None) -> None:
    console = console or Console(stderr=True)
    t = Table(title=Text(f"baocao run → {shown(s.db)}"), show_header=True)
    t.add_column("what")
    t.add_column("count", justify="right")
    t.add_row("documents", str(s.documents))
    t.add_row("  loaded (new, changed, or read by older rules)", str(s.loaded))
    t.add_row("  unchanged (skipped)", str(s.unchanged))
    t.add_row("  rejected", str(len(s.rejected)))
    if s.partial:
        t.add_row("  loaded as partial (pages unreadable)", str(len(s.partial)))
    if s.not_loaded:
        t.add_row("  not loaded: store unreachable (run again)", str(len(s.not_loaded)))
    for kind, n in s.facts.items():
        t.add_row(f"{kind} loaded", str(n))
    if s.organizations is not None:
        o = s.organizations
        t.add_row("organizations in the registry", str(o["organizations"]))
        t.add_row("  figures with a subject linked to one", f"{o['linked']} of {o['with_subject']}")
    if s.audit is not None:
        for sev, n in s.audit.items():
            t.add_row(f"audit findings: {sev}", str(n))
    console.print(t)
    if s.partial:
        p = Table(title="loaded as partial: pages that could not be read", show_header=True)
        p.add_column("file")
        p.add_column("pages and why")
        for x in s.partial:
            p.add_row(Text(shown(x.path)), Text(shown(x.reason)))
        console.print(p)
    if s.rejected:
        r = Table(title="rejected inputs", show_header=True)
        r.add_column("file")
        r.add_column("error")
        r.add_column("reason")
        for x in s.rejected:
            # Text, not markup: a file named "[red]x.txt" is a name; shown(): "\x1b[2J" is no command
            r.add_row(Text(shown(x.path)), Text(shown(x.error)), Text(shown(x.reason)))
        console.print(r)
