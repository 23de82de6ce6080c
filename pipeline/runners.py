"""Where the batches are read: a pool of local processes, or a Dask cluster.

Extraction is CPU-bound Python, so threads would take turns on one core: the default is
Prefect's process pool, one worker per CPU, each loading the NLP models once and ending with the run (`work.start_worker`).
With Dask (prefect-dask), the same tasks run on a `dask.distributed` cluster: a LocalCluster
of worker processes on this machine, or an existing scheduler (docs/cluster.md).
"""

from __future__ import annotations

import os

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner

from pipeline import work


def task_runner(workers: int, dask: str | None = None) -> TaskRunner:
    if dask is None:
        # The workers are started from the runner's own threads, which live as long as the flow.
        return ProcessPoolTaskRunner(max_workers=workers, initializer=work.start_worker, initargs=(os.getpid(),))
    from prefect_dask import DaskTaskRunner

    if dask == "local":
        return DaskTaskRunner(cluster_class="distributed.LocalCluster",
                              cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                              "dashboard_address": None})
    return DaskTaskRunner(address=dask)
