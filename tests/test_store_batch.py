"""Loading in batches: one transaction per batch, the same rows as loading one by one, and a
document the database refuses fails alone (fixture `store` runs DuckDB and PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import kcn, khoi_2020, khoi_2024, khoi_2024_signed

from baocao.store import Store, TransientStoreError, open_store
from baocao.store.rows import DocumentRows, document_rows

REPO = Path(__file__).resolve().parents[1]


def _rows(pair, version: str | None = "v1") -> DocumentRows:
    return document_rows(*pair, version)


def _snapshot(store: Store) -> dict:
    counts = store.counts()
    counts.pop("schema_meta")
    docs = store.fetch_df("SELECT id, path, status, extractor_version FROM documents ORDER BY id")
    figures = store.fetch_df("SELECT id, doc_id, quote, value, page, raw_start FROM figures ORDER BY id")
    return {"counts": counts, "documents": docs.to_dict("records"), "figures": figures.to_dict("records")}


def test_a_batch_stores_what_loading_one_by_one_stores(store: Store, store_target: str, tmp_path: Path) -> None:
    pairs = [khoi_2024(), khoi_2020(), kcn(), khoi_2024_signed(path="corpus/khoi_signed.txt")]
    result = store.load_batch([_rows(p) for p in pairs])
    assert result.failed == [] and [r.doc_id for r in result.loaded] == [d.id for d, _ in pairs]
    assert [r.figures for r in result.loaded] == [4, 2, 3, 4] and result.loaded[3].people == 1

    one_by_one = str(tmp_path / "one.duckdb")
    with open_store(one_by_one) as other:
        for doc, ex in pairs:
            other.load_document(doc, ex, "v1")
        expected = _snapshot(other)
    assert _snapshot(store) == expected


def test_a_batch_replaces_changed_files_and_keeps_one_copy_of_the_same_bytes(store: Store) -> None:
    store.load_document(*khoi_2024(path="corpus/khoi.txt"))
    old_id = khoi_2024(path="corpus/khoi.txt")[0].id
    changed = khoi_2020(path="corpus/khoi.txt")  # the file at the same path now holds other bytes
    copy_a, copy_b = kcn(path="corpus/a/kcn.txt"), kcn(path="corpus/b/kcn.txt")  # one file copied
    result = store.load_batch([_rows(changed), _rows(copy_a), _rows(copy_b)])

    assert result.loaded[0].replaced == (old_id,)
    assert store.document_status(old_id) is None
    docs = store.fetch_df("SELECT path FROM documents ORDER BY path")["path"].tolist()
    assert docs == ["corpus/b/kcn.txt", "corpus/khoi.txt"]  # the copy loaded last keeps the document
    assert store.counts()["figures"] == 2 + 3


def test_reloading_a_batch_adds_nothing(store: Store) -> None:
    batch = [_rows(khoi_2024()), _rows(kcn())]
    store.load_batch(batch)
    before = _snapshot(store)
    store.load_batch([_rows(khoi_2024(), "v2"), _rows(kcn(), "v2")])  # read again by newer rules
    after = _snapshot(store)
    assert after["counts"] == before["counts"] and after["figures"] == before["figures"]
    assert {d["extractor_version"] for d in after["documents"]} == {"v2"}


def test_a_document_the_database_refuses_fails_alone(store: Store) -> None:
    good, bad = _rows(khoi_2024()), _rows(kcn())
    bad.facts["figures"][0]["page"] = 2**40  # no INTEGER column holds this
    result = store.load_batch([good, bad, _rows(khoi_2020())])

    assert [r.doc_id for r in result.loaded] == [good.doc_id, khoi_2020()[0].id]
    ((refused, reason),) = result.failed
    assert refused is bad and reason
    assert store.has_document(good.doc_id) and not store.has_document(bad.doc_id)
    assert store.counts()["figures"] == 4 + 2


def test_a_failure_in_a_batch_leaves_none_of_its_documents(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    insert = Store._insert_rows

    def killed_at_dates(self: Store, tx, table: str, rows) -> None:
        if table == "dates":
            raise RuntimeError("killed")
        insert(self, tx, table, rows)

    monkeypatch.setattr(Store, "_insert_rows", killed_at_dates)
    with pytest.raises(RuntimeError):
        store.load_batch([_rows(khoi_2024()), _rows(kcn())])
    # Nothing of either document, nor of what loading writes (reference tables are the store's own).
    loaded = ("documents", "figures", "doc_refs", "dates", "people", "rejected_inputs", "audit_findings")
    assert {t: store.counts()[t] for t in loaded} == dict.fromkeys(loaded, 0)


def test_marking_many_copies_is_one_call(store: Store) -> None:
    a, b, c = khoi_2024(), khoi_2020(), kcn()
    store.load_batch([_rows(a), _rows(b), _rows(c)])
    store.mark_duplicates({b[0].id: a[0].id, c[0].id: a[0].id})
    store.mark_duplicates({c[0].id: None})
    rows = store.fetch_df("SELECT id, COALESCE(duplicate_of, '-') AS original FROM documents")
    marks = dict(rows.itertuples(index=False, name=None))
    assert marks == {a[0].id: "-", b[0].id: a[0].id, c[0].id: "-"}


_OPEN_ELSEWHERE = "import sys; from baocao.store import open_store; open_store(sys.argv[1], timeout=float(sys.argv[2])).close()"


def _open_in_another_process(path: Path, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _OPEN_ELSEWHERE, str(path), str(timeout)], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)


def test_a_duckdb_store_keeps_its_file_between_loads_and_lets_go_for_others(tmp_path: Path) -> None:
    from baocao.store.duckdb_store import DuckDBStore

    path = tmp_path / "held.duckdb"
    held = DuckDBStore(path, min_hold=3600)
    try:
        held.load_document(*khoi_2024())
        busy = _open_in_another_process(path, 0.3)
        assert busy.returncode != 0 and TransientStoreError.__name__ in busy.stderr
    finally:
        held.close()

    shared = DuckDBStore(path, min_hold=0, share_ratio=0)  # lets go after every commit
    try:
        shared.load_document(*kcn())
        assert _open_in_another_process(path, 30).returncode == 0
        shared.load_document(*khoi_2020())  # and takes the file back for the next load
        assert shared.counts()["documents"] == 3
    finally:
        shared.close()
