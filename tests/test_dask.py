"""The same flow on a real dask.distributed cluster (prefect-dask), PostgreSQL as the shared store:
a LocalCluster of two worker processes reads the batches, and the rows are those of a local run."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import NO_PG_REASON, PG_URL_ENV, with_search_path

from baocao.store import open_store

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_schemas() -> Iterator[list[str]]:
    url = os.environ.get(PG_URL_ENV)
    if not url:
        pytest.skip(NO_PG_REASON)
    import psycopg

    names = [f"test_dask_{uuid.uuid4().hex[:10]}", f"test_local_{uuid.uuid4().hex[:10]}"]
    with psycopg.connect(url, autocommit=True) as conn:
        for n in names:
            conn.execute(f'CREATE SCHEMA "{n}"')
    try:
        yield [with_search_path(url, n) for n in names]
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            for n in names:
                conn.execute(f'DROP SCHEMA "{n}" CASCADE')


def _records(df) -> list[dict]:
    return df.astype(object).where(df.notna(), None).to_dict("records")  # NULL as None: NaN != NaN


def _rows(db: str) -> dict:
    """Every table's content that does not depend on where the files were or when they were loaded."""
    with open_store(db) as store:
        out = {"counts": {t: n for t, n in store.counts().items() if t != "schema_meta"}}
        out["documents"] = _records(store.fetch_df(
            "SELECT id, name, format, status, n_pages, text_length, province, doc_date, extractor_version "
            "FROM documents ORDER BY id"))
        for table in ("figures", "doc_refs", "dates", "people"):
            out[table] = _records(store.fetch_df(f"SELECT * FROM {table} ORDER BY id"))
    return out


def test_a_dask_cluster_of_two_worker_processes_loads_the_rows_of_a_local_run(tmp_path: Path, pg_schemas) -> None:
    distributed = pytest.importorskip("distributed")
    from pipeline import server
    from pipeline.flows import run_pipeline

    server.start_api()  # first, so that the cluster's workers inherit PREFECT_API_URL (docs/cluster.md, 5.)

    dask_db, local_db = pg_schemas
    # The same files in two folders: each run reads them for real (the read cache is keyed on paths too).
    on_dask, local = tmp_path / "a" / "corpus", tmp_path / "b" / "corpus"
    shutil.copytree(ROOT / "corpus", on_dask)
    shutil.copytree(ROOT / "corpus", local)

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        summary = run_pipeline([str(on_dask)], dask_db, run_audit=True, dask=cluster.scheduler_address)
        executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
    corpus_files = sum(1 for p in on_dask.rglob("*") if p.is_file())
    assert summary.loaded == corpus_files and not summary.rejected and summary.batches >= 2
    assert len(executed) == 2 and all(n >= 1 for n in executed.values()), executed  # both workers read batches
    assert sum(executed.values()) >= summary.batches

    local_summary = run_pipeline([str(local)], local_db, run_audit=True, workers=2)
    assert local_summary.facts == summary.facts and local_summary.audit == summary.audit
    assert _rows(dask_db) == _rows(local_db)
