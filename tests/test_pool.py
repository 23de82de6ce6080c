"""The local worker processes that read batches (pipeline.pool): real spawned processes."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from pipeline import pool, work

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "corpus" / "001_cb9490ee494cbe99.txt"


@pytest.fixture
def no_pool():
    pool.stop()
    yield
    pool.stop()


def _batch() -> list[work.FileToRead]:
    return [work.FileToRead(str(REPORT), work.digest_of(str(REPORT)))]


def _members(batch: work.ReadBatch) -> list[float]:
    return [r["value"] for d in batch.rows for r in d.facts["figures"] if r["object"] == "party_member"]


def test_a_batch_is_read_by_a_worker_process_as_it_is_read_here(no_pool):
    here = pool.read_batch(_batch(), work.rules_fingerprint())  # no pool: read in this process (a Dask worker)
    assert not here.rejections and _members(here) == [27.0, 27.0]  # "27 đảng viên"
    before = {p.pid for p in multiprocessing.active_children()}
    pool.start(1)
    workers = {p.pid for p in multiprocessing.active_children()} - before
    assert len(workers) == 1  # started at once, before any batch: it loads the models meanwhile
    there = pool.read_batch(_batch(), work.rules_fingerprint())
    assert _members(there) == _members(here)
    assert [d.facts["figures"] for d in there.rows] == [d.facts["figures"] for d in here.rows]
    pool.stop()
    assert not workers & {p.pid for p in multiprocessing.active_children()}


def test_a_run_with_nothing_to_read_stops_the_workers_while_they_load_the_models(no_pool):
    before = {p.pid for p in multiprocessing.active_children()}
    pool.start(2)
    started = {p.pid for p in multiprocessing.active_children()} - before
    assert len(started) == 2
    pool.stop(now=True)  # they are still importing the models: terminated, not waited for
    assert not started & {p.pid for p in multiprocessing.active_children()}
    pool.stop()  # stopping twice is harmless
