"""What a run did, as a record and as a table on the terminal."""

from __future__ import annotations

from pydantic import BaseModel, Field
from rich.console import Console
from rich.table import Table
from rich.text import Text

from baocao.safe_text import shown


class RejectedFile(BaseModel):
    path: str
    error: str
    reason: str


class RunSummary(BaseModel):
    db: str
    documents: int = 0
    loaded: int = 0
    unchanged: int = 0
    facts: dict[str, int] = Field(default_factory=lambda: {"figures": 0, "doc_refs": 0, "dates": 0, "people": 0})
    rejected: list[RejectedFile] = Field(default_factory=list)
    partial: list[RejectedFile] = Field(default_factory=list)  # loaded, some pages unreadable (named)
    store_down: str | None = None  # why the store could not be reached, when it went away during the run
    not_loaded: list[str] = Field(default_factory=list)  # documents left for a rerun because of that
    audit: dict[str, int] | None = None


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
