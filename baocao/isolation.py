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
import pickle
import select
import signal
import struct
import time
from collections.abc import Callable, Iterator, Sequence
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


def _bare(e: BaseException) -> BaseException:
    """The exception without its traceback and chain, to cross the pipe. Its chain can hold what
    does not pickle (an lxml error log), and a process that has imported Dask pickles exceptions
    with their chain and traceback (tblib's pickling support)."""
    e.__traceback__ = None
    e.__cause__ = e.__context__ = None
    return e


def _child(conn, fn: Callable[..., Any], args: tuple) -> None:
    os.setpgid(0, 0)  # its own group: a converter it starts (LibreOffice, Tesseract) dies with it
    try:
        result: tuple[str, Any] = ("value", fn(*args))
    except BaseException as e:  # noqa: BLE001 - everything goes back to the parent
        result = ("error", _bare(e))
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


def run_each(fn: Callable[[Any], Any], items: Sequence[Any], timeout: float = 600.0) -> Iterator[tuple[int, Outcome]]:
    """fn(item) for each item, in a forked child that works through them in order, sending each
    result back as soon as it has it; yields (index, Outcome) in order.

    One fork per batch, not per item (a fork of a warm worker costs tens of milliseconds): the
    child goes on until it is done, dies, or spends more than `timeout` seconds on one item. Then
    that item is a crash or a timeout, and a new child takes the items after it. Raw os.fork, not
    multiprocessing: a Dask worker is a daemonic process, which multiprocessing forbids children.
    """
    start = 0
    while start < len(items):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_end)
            _serve(fn, items, start, write_end)
        os.close(write_end)
        try:
            with os.fdopen(read_end, "rb", buffering=0) as pipe:
                start = yield from _collect(pipe, pid, items, start, timeout)
        finally:
            # Done, or the caller stopped early: a child still at work would block on the full pipe
            # (nobody reads it any more) and never be reaped. Not reaped yet, so the pid is still ours.
            if pid not in _ended:
                _kill_group(pid)
            _reap(pid)


def _serve(fn: Callable[[Any], Any], items: Sequence[Any], start: int, fd: int) -> None:
    try:
        os.setpgid(0, 0)  # its own group: a converter it starts (LibreOffice, Tesseract) dies with it
    except OSError:
        pass
    try:
        with os.fdopen(fd, "wb") as out:
            for i in range(start, len(items)):
                began = time.monotonic()
                try:
                    message: tuple[str, Any] = ("value", fn(items[i]))
                except BaseException as e:  # noqa: BLE001 - everything goes back to the parent
                    message = ("error", _bare(e))
                try:
                    data = pickle.dumps((*message, time.monotonic() - began))
                except Exception as e:  # noqa: BLE001 - an unpicklable exception or value
                    data = pickle.dumps(("error", RuntimeError(f"{type(e).__name__}: {e}"), time.monotonic() - began))
                out.write(struct.pack("<Q", len(data)) + data)
                out.flush()
    finally:
        os._exit(0)  # no atexit handlers, no flushing of the parent's inherited buffers


def _collect(pipe, pid: int, items: Sequence[Any], start: int, timeout: float):
    """Read the child's answers; returns where the next child should start."""
    for i in range(start, len(items)):
        began = time.monotonic()
        try:
            header = _read_exactly(pipe, 8, began + timeout)
            data = _read_exactly(pipe, struct.unpack("<Q", header)[0], began + timeout) if header else b""
        except TimeoutError:
            _kill_group(pid)
            yield i, Outcome(timed_out=True, seconds=time.monotonic() - began)
            return i + 1
        if not header or not data:  # the child died before it could answer
            yield i, Outcome(crashed=_how_it_ended(pid), seconds=time.monotonic() - began)
            return i + 1
        try:
            kind, payload, seconds = pickle.loads(data)
        except Exception as e:  # noqa: BLE001 - an answer that cannot be unpickled
            yield i, Outcome(error=RuntimeError(f"the worker's answer could not be read: {type(e).__name__}: {e}"))
            continue
        yield i, (Outcome(value=payload, seconds=seconds) if kind == "value" else Outcome(error=payload, seconds=seconds))
    return len(items)


def _read_exactly(pipe, n: int, deadline: float) -> bytes:
    """n bytes from the pipe, b"" at its end (the child is gone); TimeoutError past the deadline."""
    chunks, got = [], 0
    while got < n:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([pipe], [], [], left)[0]:
            raise TimeoutError
        chunk = pipe.read(min(n - got, 1 << 20))
        if not chunk:
            return b""
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _kill_group(pid: int) -> None:
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
            return
        except (ProcessLookupError, PermissionError):
            continue


_ended: dict[int, int] = {}  # pid -> wait status, for a child reaped while telling how it ended


def _how_it_ended(pid: int) -> str:
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return "exit status unknown"
    _ended[pid] = status
    if os.WIFSIGNALED(status):
        return _signal_name(-os.WTERMSIG(status))
    return f"exit status {os.waitstatus_to_exitcode(status)}"


def _reap(pid: int) -> None:
    if _ended.pop(pid, None) is not None:
        return
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
