"""Run one document's reading in a process of its own, killed when it overruns its time.

A reader is native code on untrusted bytes (PDFium, lxml, Tesseract, LibreOffice): a file can
crash it (a segfault takes the whole process with it) or make it loop. So the work on one
document runs in a child process forked from the warm parent (the NLP models are already
loaded, copy-on-write), which sends its result back through a pipe. The parent waits at most
`timeout` seconds, then kills the child and its process group; a child that dies of a signal is
a crash, not a hang. Either way the run goes on with the next document.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_CONTEXT = mp.get_context("fork")  # fork: the child inherits the loaded models; spawn would reload them


@dataclass(frozen=True)
class Outcome:
    """What became of the isolated call: its value, the exception it raised, a timeout or a crash."""

    value: Any = None
    error: BaseException | None = None
    timed_out: bool = False
    crashed: str | None = None  # how the process died ("SIGSEGV", "exit status 1")
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and not self.timed_out and self.crashed is None


def _child(conn, fn: Callable[..., Any], args: tuple) -> None:
    os.setpgid(0, 0)  # its own group: a converter it starts (LibreOffice, Tesseract) dies with it
    try:
        result: tuple[str, Any] = ("value", fn(*args))
    except BaseException as e:  # noqa: BLE001 - everything goes back to the parent
        result = ("error", e)
    try:
        conn.send(result)
    except Exception as e:  # noqa: BLE001 - an unpicklable exception or value
        conn.send(("error", RuntimeError(f"{type(e).__name__}: {e}")))
    conn.close()
    os._exit(0)  # no atexit handlers, no flushing of the parent's inherited buffers


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


def run_isolated(fn: Callable[..., Any], args: tuple = (), timeout: float = 600.0) -> Outcome:
    """fn(*args) in a forked child; at most `timeout` seconds."""
    started = time.monotonic()
    recv, send = _CONTEXT.Pipe(duplex=False)
    proc = _CONTEXT.Process(target=_child, args=(send, fn, args), daemon=True)
    proc.start()
    send.close()
    message = None
    try:
        if recv.poll(timeout):
            try:
                message = recv.recv()
            except (EOFError, OSError):
                message = None  # the child died before it could answer
            except Exception as e:  # noqa: BLE001 - an answer that cannot be unpickled
                message = ("error", RuntimeError(f"the worker's answer could not be read: {type(e).__name__}: {e}"))
    finally:
        recv.close()
    seconds = time.monotonic() - started
    if message is None and proc.is_alive() and seconds >= timeout:
        _kill(proc)
        return Outcome(timed_out=True, seconds=seconds)
    proc.join(5)
    if proc.is_alive():
        _kill(proc)
    if message is None:
        code = proc.exitcode
        how = _signal_name(code) if code is not None and code < 0 else f"exit status {code}"
        return Outcome(crashed=how, seconds=seconds)
    kind, payload = message
    return Outcome(value=payload, seconds=seconds) if kind == "value" else Outcome(error=payload, seconds=seconds)


def _kill(proc) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.join(5)
