"""The flow end to end: corpus/ into a temporary DuckDB, idempotent, bad input rejected alone."""

import json
import re
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from baocao.cli import app
from baocao.store import open_store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    from pipeline.flows import run_pipeline

    work = tmp_path_factory.mktemp("run")
    docs = work / "docs"
    shutil.copytree(CORPUS, docs)
    (docs / "empty.txt").write_bytes(b"")
    (docs / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (docs / "notes.xyz").write_text("không phải tài liệu", encoding="utf-8")
    db = str(work / "baocao.duckdb")
    first = run_pipeline([str(docs)], db, run_audit=False)
    with open_store(db) as store:
        counts_after_first = store.counts()
    second = run_pipeline([str(docs)], db, run_audit=False)
    with open_store(db) as store:
        counts_after_second = store.counts()
        figures = store.fetch_df("SELECT f.*, d.name FROM figures f JOIN documents d ON d.id = f.doc_id")
        rejected = store.fetch_df("SELECT * FROM rejected_inputs")
    return first, second, counts_after_first, counts_after_second, figures, rejected, docs


def test_every_corpus_document_is_loaded_and_bad_files_are_rejected(corpus_run):
    first, _, counts, _, _, rejected, _ = corpus_run
    n_good = len([p for p in CORPUS.iterdir() if p.is_file()])
    assert first.loaded == n_good
    assert sorted(r.error for r in first.rejected) == ["binary_not_text", "empty_file", "unsupported_format"]
    assert sorted(rejected["error"]) == ["binary_not_text", "empty_file", "unsupported_format"]
    assert counts["figures"] > 100 and counts["doc_refs"] > 30 and counts["dates"] > 30


def test_second_run_changes_nothing(corpus_run):
    _, second, first_counts, second_counts, _, _, _ = corpus_run
    assert second.loaded == 0 and second.unchanged == second.documents - len(second.rejected)
    assert first_counts == second_counts


def test_facts_keep_their_provenance(corpus_run):
    figures = corpus_run[4]
    row = figures[(figures["name"] == "000_fecd69e2d4926bf8.txt") & (figures["value"] == 4989)].iloc[0]
    assert row["quote"] == "4.989 đảng viên"
    assert "84 TCCS đảng (46 Đảng bộ và 38 Chi bộ cơ sở)" in row["sentence"]
    assert row["page"] == 1 and row["end_offset"] > row["start_offset"]
    pdf = figures[(figures["name"] == "000_fecd69e2d4926bf8.pdf") & (figures["value"] == 4989)]
    assert len(pdf) >= 1 and pdf.iloc[0]["page"] >= 1


def test_the_same_bytes_are_not_read_twice_into_a_new_store(corpus_run, tmp_path):
    # The reads are cached on the files' content hashes: a new database gets the rows of the
    # first run without extracting anything again.
    first, docs = corpus_run[0], corpus_run[6]
    from pipeline.flows import run_pipeline

    db = str(tmp_path / "again.duckdb")
    again = run_pipeline([str(docs)], db, run_audit=False)
    assert again.loaded == first.loaded and again.reused == first.loaded
    assert again.seconds.get("extract", 0.0) == 0.0  # nothing was extracted in this run
    with open_store(db) as store:
        assert store.counts() == corpus_run[2]


def test_task_runs_are_batches_named_after_what_they_do(corpus_run):
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.sorting import TaskRunSort

    first = corpus_run[0]
    assert first.batches >= 2  # both workers get work
    flow_runs = FlowRunFilter(id=FlowRunFilterId(any_=[first.flow_run_id]))
    deadline = time.monotonic() + 60
    with get_client(sync_client=True) as client:
        while True:  # the server records task runs from their events, a moment after they ran
            runs = client.read_task_runs(flow_run_filter=flow_runs, sort=TaskRunSort.EXPECTED_START_TIME_ASC, limit=200)
            names = sorted(t.name for t in runs)
            if len(names) >= 2 * first.batches + 1 or time.monotonic() > deadline:
                break
            time.sleep(1)
    reads = [n for n in names if n.startswith("read ")]
    loads = [n for n in names if n.startswith("load ")]
    assert len(reads) == len(loads) == first.batches, names  # one read and one load per batch, not per document
    assert "hash files and check the store" in names
    assert all(re.fullmatch(r"read \S+( … \S+)? \(\d+\)", n) for n in reads), reads
    assert sum(int(re.search(r"\((\d+)\)", n).group(1)) for n in reads) == first.documents
    assert all(re.fullmatch(r"load \d+ documents?", n) for n in loads), loads


def test_extract_prints_json_lines_only(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = CliRunner().invoke(app, ["extract", "--jsonl", str(CORPUS / "003_a8b278771690ab33.txt"), str(bad)])
    assert result.exit_code == 1
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    doc = lines[0]
    assert {k: doc[k] for k in ("doc", "kind", "province", "province_2025", "doc_date")} == {
        "doc": "003_a8b278771690ab33.txt", "kind": "document", "province": "Lâm Đồng", "province_2025": "Lâm Đồng",
        "doc_date": None}
    assert doc["people"] == [{"name": "Hoàng Xuân Hường", "role": None, "kind": "author"}]  # the signatory
    fig = next(x for x in lines if x["kind"] == "figure" and x["value"] == 95)
    assert (fig["object"], fig["event"], fig["quote"]) == ("party_member", "admitted", "95 đảng viên mới")
    ref = next(x for x in lines if x["kind"] == "doc_ref")
    assert (ref["ref"], ref["issued"]) == ("4-NQ/ĐUK", "2021-01-22")


def test_documents_loaded_by_other_rules_are_read_again(tmp_path):
    # After an upgrade of the rules (or a migration from an older schema) the same bytes must be
    # extracted again: otherwise the new columns (people, figures.province_2025) stay empty.
    from pipeline.flows import run_pipeline
    from pipeline.tasks import EXTRACTOR_VERSION

    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(CORPUS / "003_a8b278771690ab33.txt", docs)
    db = str(tmp_path / "baocao.duckdb")
    run_pipeline([str(docs)], db, run_audit=False)
    with open_store(db) as store:
        before = store.counts()
        assert set(store.fetch_df("SELECT extractor_version FROM documents")["extractor_version"]) == {EXTRACTOR_VERSION}
        store._run(lambda tx: (tx.execute("UPDATE documents SET extractor_version = NULL"), tx.execute("DELETE FROM people")))
    again = run_pipeline([str(docs)], db, run_audit=False)
    assert (again.loaded, again.unchanged) == (1, 0) and again.facts["people"] >= 1
    with open_store(db) as store:
        assert store.counts() == before
    assert run_pipeline([str(docs)], db, run_audit=False).unchanged == 1


def test_the_run_links_every_figure_with_a_subject_to_an_organization(corpus_run):
    first, _, _, _, figures, _, _ = corpus_run
    with_subject = figures[figures["subject"].notna()]
    assert len(with_subject) > 100 and with_subject["organization_id"].notna().all()
    assert first.organizations == {"organizations": first.organizations["organizations"],
                                   "linked": len(with_subject), "with_subject": len(with_subject)}
