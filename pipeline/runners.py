"""Where the batches are read: a pool of local processes, or a Dask cluster.

Extraction is CPU-bound Python, so threads would take turns on one core: by default the read
tasks run in Prefect's threads, one per worker, and each hands its batch to a process of
`pipeline.pool` (one per CPU, each loading the NLP models once and ending with the run,
`work.start_worker`).  With Dask (prefect-dask), the same tasks run on a `dask.distributed`
cluster and read their batch there: a LocalCluster of worker processes on this machine, or an
existing scheduler (docs/cluster.md).
"""

from __future__ import annotations

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner


def task_runner(workers: int, dask: str | None = None) -> TaskRunner:
    if dask is None:
        return ThreadPoolTaskRunner(max_workers=workers)  # each thread waits on a process of pipeline.pool
    from prefect_dask import DaskTaskRunner

    if dask == "local":
        return DaskTaskRunner(cluster_class="distributed.LocalCluster",
                              cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                              "dashboard_address": None})
    return DaskTaskRunner(address=dask)
