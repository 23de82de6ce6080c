"""Who holds a DuckDB file: another baocao run (wait, it lets go between transactions) or some
other program (a BI tool, the duckdb shell) that keeps it open until a person closes it.

DuckDB names the holder in its lock error: 'Conflicting lock is held in /usr/bin/duckdb
(PID 4242)'. On Linux the holder's command line tells whether it is baocao.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_HOLDER = re.compile(r"lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)", re.IGNORECASE)
# A baocao run: the console script, `python -m baocao…`, or code importing the package (a test
# worker). Only the program and its code count: a file argument may well be named baocao.duckdb.
_OURS = re.compile(r"(?:^|/)baocao$|^-m\s*baocao|\b(?:import|from)\s+baocao\b")
# How long another program's lock is waited for before the user is told: a dashboard query
# ends in well under this; a tool that keeps the file open never lets go.
FOREIGN_LOCK_WAIT = 3.0


@dataclass(frozen=True)
class LockHolder:
    pid: int | None
    program: str
    command: str  # its command line, when it can be read
    argv: tuple[str, ...] = ()

    @property
    def is_baocao(self) -> bool:
        # argv[0] is the interpreter or the script; argv[1] the script, "-m" or "-c" and its code
        return any(_OURS.search(a) for a in (self.program, *self.argv[:3]))

    def describe(self) -> str:
        shown = self.command or self.program
        if len(shown) > 80:
            shown = shown[:77] + "..."
        return f"{shown} (PID {self.pid})" if self.pid else shown


def lock_holder(message: str) -> LockHolder | None:
    """The process a DuckDB lock error names, None when the message names none."""
    m = _HOLDER.search(message)
    if not m:
        return None
    pid = int(m.group("pid"))
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        raw = b""
    argv = tuple(part for part in raw.decode("utf-8", "replace").split("\x00") if part)
    if len(argv) > 2 and argv[1] == "-m":
        argv = (argv[0], f"-m {argv[2]}", *argv[3:])
    return LockHolder(pid, m.group("program"), " ".join(argv), argv)


def locked_message(path: str, holder: LockHolder) -> str:
    return (
        f"the database {path} is locked by another program: {holder.describe()}. "
        "Close that program or its connection to the file (a dashboard, a BI tool, the duckdb shell), "
        "or point --db at another file, then run again"
    )
