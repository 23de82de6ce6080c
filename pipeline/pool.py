"""The local worker processes that read batches, started before Prefect is imported.

Extraction is CPU-bound Python, so batches are read in processes, one per CPU.  The flow's read
tasks run in threads and hand their batch to this pool, waiting for its rows: Prefect still has
one named task run per batch, its states and its cache on content hashes, but the workers import
only baocao and the NLP models, not Prefect (and the Dask integration Prefect loads with a result
store), and `baocao run` starts them first, so that they load the models while the main process
imports Prefect and starts the flow.  With Dask, the read task runs on the cluster's workers and
reads its batch there (no pool in that process).
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

from pipeline import work

if TYPE_CHECKING:
    from baocao.ingest import Limits

_pool: ProcessPoolExecutor | None = None


def start(workers: int) -> None:
    """Start `workers` processes now (each loads the models before its first batch); a pool already
    running is kept."""
    global _pool
    if _pool is not None:
        return
    _pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                initializer=work.start_worker, initargs=(os.getpid(),))
    for _ in range(workers):  # the executor starts a process per waiting call: all of them, now
        _pool.submit(_ready)


def _ready() -> None:
    return None


def read_batch(files: list[work.FileToRead], extractor_version: str, limits: Limits | None = None) -> work.ReadBatch:
    """The batch read by a process of the pool, or here when no pool runs (on a Dask worker)."""
    if _pool is None:
        return work.read_batch(files, extractor_version, limits)
    return _pool.submit(work.read_batch, files, extractor_version, limits).result()


def stop(now: bool = False) -> None:
    """End the workers: when the run is over, or `now` when it has nothing to read (the workers may
    still be loading the models: they are stopped rather than waited for)."""
    global _pool
    if _pool is None:
        return
    if now:
        # The executor has no public way to stop a process in its initializer; its process table does.
        for process in list(getattr(_pool, "_processes", {}).values()):
            process.terminate()
    _pool.shutdown(wait=True, cancel_futures=True)
    _pool = None
