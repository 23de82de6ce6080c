"""The store behaves the same on DuckDB and PostgreSQL (fixture `store` runs both)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from conftest import KHOI, TIEN, kcn, khoi_2020, khoi_2024, khoi_2024_signed

from baocao.audit import FINDING_COLUMNS, run_audit
from baocao.store import Store, StoreError, TransientStoreError, migrations, open_store
from baocao.store.ddl import AUDIT_FINDINGS, FIGURES, TABLES, TYPES, Table, index_name, table_statements
from baocao.store.migrations import Migration
from baocao.store.rows import document_row, fact_rows, rejected_document_row, rejection_row, utcnow
from baocao.store.views import VIEWS, view_statements
from schemas.records import SCHEMA_VERSION, Rejection, TableCellRef, fact_id

REPO = Path(__file__).resolve().parents[1]
FACTS = ("documents", "figures", "doc_refs", "dates")


def fact_counts(store: Store) -> dict[str, int]:
    c = store.counts()
    return {t: c[t] for t in (*FACTS, "rejected_inputs")}


def test_a_loaded_report_has_its_document_figures_refs_and_dates(store: Store) -> None:
    doc, ex = khoi_2024()
    result = store.load_document(doc, ex)

    assert (result.figures, result.doc_refs, result.dates) == (4, 1, 1)
    assert fact_counts(store) == {"documents": 1, "figures": 4, "doc_refs": 1, "dates": 1, "rejected_inputs": 0}
    assert store.has_document(doc.id) and store.document_status(doc.id) == "loaded"
    assert not store.has_document("0" * 64) and store.document_status("0" * 64) is None


def test_rows_keep_provenance_and_depth(store: Store) -> None:
    doc, ex = khoi_2024()
    store.load_document(doc, ex)

    d = store.fetch_df("SELECT * FROM documents").iloc[0]
    assert (d["path"], d["name"], d["format"], d["status"]) == (
        "corpus/khoi_2024.txt",
        "khoi_2024.txt",
        "txt",
        "loaded",
    )
    assert (d["province"], d["province_2025"], d["doc_date"]) == ("Quảng Trị", "Quảng Trị", dt.date(2024, 7, 3))
    assert d["text_length"] == len(doc.text) and d["n_pages"] == 1 and d["size_bytes"] == len(doc.text.encode())
    assert d["error"] is None and d["duplicate_of"] is None

    figs = store.fetch_df("SELECT * FROM figures ORDER BY seq")
    members = figs[figs["object"] == "party_member"].iloc[0]
    assert members["quote"] == "4.989 đảng viên" == doc.text[members["start_offset"] : members["end_offset"]]
    assert members["value"] == 4989 and members["qualifier"] == "exact" and not members["target"]
    assert members["sentence"].startswith("Hiện nay, Đảng bộ Khối có 84 TCCS đảng")
    assert doc.text[members["sentence_start"] :].startswith(members["sentence"])
    assert members["page"] == 1 and members["subject"] == KHOI and members["doc_id"] == doc.id
    f = ex.figures[3]
    assert members["id"] == fact_id(doc.id, "figure", f.start, f.end, "party_member|total|4989.0")

    committees = figs[figs["object"] == "party_committee"].iloc[0]
    whole = figs[figs["seq"] == 0].iloc[0]
    assert committees["parent"] == 0 and committees["parent_id"] == whole["id"] and whole["quote"] == "84 TCCS đảng"

    ref = store.fetch_df("SELECT ref, doc_type, issued, quote FROM doc_refs").iloc[0].to_dict()
    assert ref == {
        "ref": "1405-QĐ/TU",
        "doc_type": "Quyết định",
        "issued": dt.date(2019, 6, 26),
        "quote": "Quyết định số 1405- QĐ/TU",
    }
    assert store.fetch_df("SELECT date FROM dates")["date"].tolist() == [dt.date(2019, 6, 26)]


def test_loading_the_same_document_twice_adds_nothing(store: Store) -> None:
    doc, ex = khoi_2024()
    store.load_document(doc, ex)
    before = store.fetch_df("SELECT id FROM figures ORDER BY id")["id"].tolist()
    store.load_document(doc, ex)

    assert fact_counts(store) == {"documents": 1, "figures": 4, "doc_refs": 1, "dates": 1, "rejected_inputs": 0}
    assert store.fetch_df("SELECT id FROM figures ORDER BY id")["id"].tolist() == before


def test_a_changed_file_replaces_the_facts_of_its_path(store: Store) -> None:
    old, old_ex = khoi_2024(path="corpus/khoi.txt")
    store.load_document(old, old_ex)
    new, new_ex = khoi_2020(path="corpus/khoi.txt")  # same file, new content

    result = store.load_document(new, new_ex)

    assert result.replaced == (old.id,)
    assert fact_counts(store) == {"documents": 1, "figures": 2, "doc_refs": 0, "dates": 1, "rejected_inputs": 0}
    assert store.document_status(old.id) is None and store.has_document(new.id)
    assert store.fetch_df("SELECT DISTINCT doc_id FROM figures")["doc_id"].tolist() == [new.id]


def test_a_file_moved_to_a_new_path_is_one_document(store: Store) -> None:
    doc, ex = khoi_2024(path="corpus/a.txt")
    store.load_document(doc, ex)
    moved, moved_ex = khoi_2024(path="corpus/b.txt")

    store.load_document(moved, moved_ex)

    assert store.fetch_df("SELECT path FROM documents")["path"].tolist() == ["corpus/b.txt"]
    assert store.counts()["figures"] == 4


def test_duplicate_facts_in_one_extraction_are_stored_once(store: Store, make_doc) -> None:
    text = "Năm 2023, kết nạp 120 đảng viên mới."
    fig = {"quote": "120 đảng viên", "object": "party_member", "event": "admitted", "value": 120}
    doc, ex = make_doc(text, "corpus/ket_nap.txt", figures=[fig, fig])

    assert store.load_document(doc, ex).figures == 1
    assert store.counts()["figures"] == 1


def test_a_rejection_is_recorded_once_and_loaded_data_stays(store: Store) -> None:
    doc, ex = khoi_2024()
    store.load_document(doc, ex)
    encrypted = Rejection(
        path="corpus/bao_cao_2023.pdf",
        name="bao_cao_2023.pdf",
        reason="Tệp PDF được mã hóa, không đọc được nội dung",
        error="encrypted_pdf",
        doc_id="a" * 64,
    )
    store.record_rejection(encrypted)
    store.record_rejection(encrypted)  # a second run sees the same file again

    assert fact_counts(store) == {"documents": 2, "figures": 4, "doc_refs": 1, "dates": 1, "rejected_inputs": 1}
    assert store.document_status("a" * 64) == "rejected" and not store.has_document("a" * 64)
    row = store.fetch_df("SELECT * FROM rejected_inputs").iloc[0]
    assert (row["path"], row["error"], row["doc_id"]) == ("corpus/bao_cao_2023.pdf", "encrypted_pdf", "a" * 64)
    rejected_doc = store.fetch_df(f"SELECT format, error FROM documents WHERE id = '{'a' * 64}'").iloc[0]
    assert (rejected_doc["format"], rejected_doc["error"]) == ("pdf", "encrypted_pdf")

    # The same bytes failing elsewhere (or a flaky retry) never unload what is loaded.
    store.record_rejection(Rejection(path="tmp/copy.txt", name="copy.txt", reason="lỗi", error="x", doc_id=doc.id))
    assert store.document_status(doc.id) == "loaded" and store.counts()["figures"] == 4

    # Unreadable bytes: a rejection row only, one per reason.
    empty = Rejection(path="corpus/trong.txt", name="trong.txt", reason="Tệp rỗng", error="empty_file")
    store.record_rejection(empty)
    store.record_rejection(empty)
    assert fact_counts(store)["rejected_inputs"] == 3 and fact_counts(store)["documents"] == 2


def test_a_rejected_path_that_loads_later_drops_its_rejection(store: Store) -> None:
    store.record_rejection(
        Rejection(path="corpus/khoi_2024.txt", name="khoi_2024.txt", reason="Tệp rỗng", error="empty_file")
    )
    doc, ex = khoi_2024()
    store.load_document(doc, ex)

    assert fact_counts(store)["rejected_inputs"] == 0 and store.has_document(doc.id)


def test_prune_removes_documents_whose_files_are_gone(store: Store) -> None:
    a, a_ex = khoi_2024()
    b, b_ex = khoi_2020()
    store.load_document(a, a_ex)
    store.load_document(b, b_ex)
    store.record_rejection(
        Rejection(path="corpus/x.pdf", name="x.pdf", reason="Tệp hỏng", error="bad", doc_id="c" * 64)
    )

    removed = store.prune([a.path])

    assert removed == sorted([b.path, "corpus/x.pdf"])
    assert fact_counts(store) == {"documents": 1, "figures": 4, "doc_refs": 1, "dates": 1, "rejected_inputs": 0}
    assert store.document_status(b.id) is None and store.has_document(a.id)
    assert store.prune([a.path]) == []


def test_a_failure_in_the_middle_of_a_load_leaves_nothing_and_a_rerun_completes(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc, ex = khoi_2024()
    insert = Store._insert_rows

    def disk_full_at_dates(self: Store, tx, table: str, rows) -> None:  # figures and doc_refs are in by now
        if table == "dates":
            raise OSError("No space left on device")
        insert(self, tx, table, rows)

    monkeypatch.setattr(Store, "_insert_rows", disk_full_at_dates)
    with pytest.raises(OSError):
        store.load_document(doc, ex)
    assert fact_counts(store) == dict.fromkeys((*FACTS, "rejected_inputs"), 0)
    assert store.document_status(doc.id) is None

    monkeypatch.undo()
    store.load_document(doc, ex)
    assert fact_counts(store) == {"documents": 1, "figures": 4, "doc_refs": 1, "dates": 1, "rejected_inputs": 0}


def test_a_failed_replacement_keeps_the_previous_version(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    old, old_ex = khoi_2024(path="corpus/khoi.txt")
    store.load_document(old, old_ex)
    new, new_ex = khoi_2020(path="corpus/khoi.txt")
    insert = Store._insert_rows

    def fail_at_dates(self: Store, tx, table: str, rows) -> None:
        if table == "dates":
            raise RuntimeError("killed")
        insert(self, tx, table, rows)

    monkeypatch.setattr(Store, "_insert_rows", fail_at_dates)
    with pytest.raises(RuntimeError):
        store.load_document(new, new_ex)

    assert store.has_document(old.id) and store.document_status(new.id) is None
    assert fact_counts(store) == {"documents": 1, "figures": 4, "doc_refs": 1, "dates": 1, "rejected_inputs": 0}


def _variant(i: int) -> tuple:
    """A distinct document: same report, another path and a different last line."""
    return khoi_2024(path=f"corpus/ban_{i}.txt", text=f"{khoi_2024()[0].text}\nBản số {i}.")


def test_concurrent_loaders_in_threads_store_one_copy(store_target: str) -> None:
    shared = khoi_2024()
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def run(i: int) -> None:
        try:
            with open_store(store_target) as s:
                barrier.wait()
                for _ in range(3):
                    s.load_document(*shared)
                s.load_document(*_variant(i))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors, errors
    with open_store(store_target) as s:
        assert fact_counts(s) == {"documents": 5, "figures": 20, "doc_refs": 5, "dates": 5, "rejected_inputs": 0}
        assert s.fetch_df("SELECT COUNT(DISTINCT id) AS n FROM figures")["n"][0] == 20


_WORKER = """
import json, pathlib, sys, time
from baocao.store import open_store
from schemas.records import Extraction, SourceDocument
target, go, *pairs = sys.argv[1:]
while not pathlib.Path(go).exists():
    time.sleep(0.01)
with open_store(target) as store:   # a fresh target: the schema is created concurrently too
    for pair in pairs:
        data = json.loads(pathlib.Path(pair).read_text(encoding="utf-8"))
        store.load_document(SourceDocument.model_validate(data["doc"]), Extraction.model_validate(data["extraction"]))
"""


def _write_pair(path: Path, pair: tuple) -> str:
    doc, ex = pair
    path.write_text(json.dumps({"doc": doc.model_dump(mode="json"), "extraction": ex.model_dump(mode="json")}))
    return str(path)


def test_concurrent_loaders_in_processes_store_one_copy(store_target: str, tmp_path: Path) -> None:
    shared = _write_pair(tmp_path / "shared.json", khoi_2024())
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _WORKER,
                store_target,
                str(go),
                shared,
                _write_pair(tmp_path / f"{i}.json", _variant(i)),
                shared,
            ],
            env=env,
            cwd=REPO,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(3)
    ]
    time.sleep(0.5)
    go.touch()
    for p in procs:
        _, err = p.communicate(timeout=180)
        assert p.returncode == 0, err

    with open_store(store_target) as s:
        assert fact_counts(s) == {"documents": 4, "figures": 16, "doc_refs": 4, "dates": 4, "rejected_inputs": 0}
        # the schema was created once: one row per version, not one per process
        assert s.schema_version() == migrations.latest_version()
        assert s.counts()["schema_meta"] == len(migrations.MIGRATIONS)


def test_schema_version_matches_the_records(store: Store) -> None:
    assert store.schema_version() == migrations.latest_version() == SCHEMA_VERSION


def test_an_older_database_is_migrated_on_open(store_target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(store_target) as s:
        s.load_document(*khoi_2024())
    applied: list[str] = []

    def add_reviewer(dialect: str) -> list[str]:
        applied.append(dialect)
        return ["ALTER TABLE documents ADD COLUMN reviewer " + ("VARCHAR" if dialect == "duckdb" else "TEXT")]

    # The code moves one version ahead; the database on disk stays where it was.
    current = migrations.latest_version()
    known = [m.version for m in migrations.MIGRATIONS]
    monkeypatch.setattr(
        migrations,
        "MIGRATIONS",
        [*migrations.MIGRATIONS, Migration(current + 1, "documents.reviewer", add_reviewer)],
    )
    with open_store(store_target) as s:
        assert s.schema_version() == current + 1
        versions = s.fetch_df("SELECT version FROM schema_meta ORDER BY version")["version"].tolist()
        assert versions == [*known, current + 1]
        assert s.fetch_df("SELECT reviewer FROM documents")["reviewer"].tolist() == [None]
        assert s.counts()["figures"] == 4 and len(s.fetch_df("SELECT * FROM figures_consolidated")) == 4
    with open_store(store_target) as s:  # nothing left to run
        assert s.schema_version() == current + 1
    assert len(applied) == 1


def test_a_failing_migration_step_leaves_the_old_version(store_target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(store_target) as s:
        s.load_document(*khoi_2024())
    current = migrations.latest_version()
    broken = Migration(
        current + 1,
        "broken",
        lambda d: ["ALTER TABLE documents ADD COLUMN note TEXT", "ALTER TABLE nowhere ADD x INT"],
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, broken])

    with pytest.raises(StoreError):
        open_store(store_target)

    monkeypatch.undo()
    with open_store(store_target) as s:
        assert s.schema_version() == current and "note" not in s.fetch_df("SELECT * FROM documents").columns


def test_a_database_newer_than_the_code_is_refused(store: Store, store_target: str) -> None:
    store._run(
        lambda tx: tx.execute("INSERT INTO schema_meta VALUES (?, ?, ?)", (99, "future", dt.datetime(2030, 1, 1)))
    )
    with pytest.raises(StoreError, match="newer than this code"):
        open_store(store_target)


# --- audit findings ----------------------------------------------------------


def _finding(n: int, severity: str = "error", **changes: object) -> dict:
    """An audit_findings row as baocao.audit writes it (Finding.to_row)."""
    fact_ids = [f"{n:02d}a", f"{n:02d}b"]
    facts = [{"fact_id": i, "quote": f"{n} đảng viên", "sentence": "Đảng bộ Khối có 84 TCCS đảng."} for i in fact_ids]
    row = {
        "id": hashlib.sha1("|".join(["breakdown_exceeds_total", *fact_ids]).encode()).hexdigest(),
        "rule": "breakdown_exceeds_total",
        "severity": severity,
        "province": "Quảng Trị",
        "subject": KHOI,
        "object": "party_member",
        "event": "total",
        "message_vi": f"Các phần cộng lại ({n + 1}) vượt tổng số {n} đảng viên.",
        "message_en": f"The parts add up to {n + 1}, more than the stated total of {n} party members.",
        "arithmetic": f"{n - 5} + 6 = {n + 1} ≠ {n}",
        "facts_json": json.dumps(facts, ensure_ascii=False),
        "doc_ids": "a" * 64,
        "created_at": dt.datetime(2025, 7, 1, 8, 30, 15, 123456),
    }
    row.update(changes)
    return row


def _findings(store: Store) -> list[dict]:
    df = store.fetch_df("SELECT * FROM audit_findings ORDER BY id").astype(object)
    return df.where(df.notna(), None).to_dict("records")  # NULL as None, not NaN


def _by_id(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: r["id"])


def test_the_audit_findings_table_has_the_columns_the_audit_writes() -> None:
    assert AUDIT_FINDINGS.column_names == FINDING_COLUMNS


def test_replacing_audit_findings_keeps_only_the_latest_set(store: Store) -> None:
    first = [_finding(24), _finding(30, "warning"), _finding(50, "info", province=None, subject=None, arithmetic=None)]
    second = [_finding(30, "error", message_vi="Đã sửa: 30 đảng viên."), _finding(77, "warning")]

    store.replace_audit_findings(first)
    assert _findings(store) == _by_id(first)

    store.replace_audit_findings(second)  # finding 30 again, under the same id: replaced, not duplicated
    assert _findings(store) == _by_id(second)
    store.replace_audit_findings(second)  # the same run saved twice changes nothing
    assert _findings(store) == _by_id(second)
    assert store.counts()["audit_findings"] == 2


def test_replacing_audit_findings_with_none_empties_the_table(store: Store) -> None:
    store.replace_audit_findings([_finding(24), _finding(30)])
    store.replace_audit_findings([])
    assert store.counts()["audit_findings"] == 0
    store.replace_audit_findings([])  # an empty table stays empty
    assert _findings(store) == []


def test_a_refused_set_of_findings_leaves_the_previous_one(store: Store) -> None:
    previous = [_finding(24), _finding(30, "warning")]
    store.replace_audit_findings(previous)

    with pytest.raises(StoreError):  # the CHECK on severity refuses the last row, after the delete ran
        store.replace_audit_findings([_finding(41), _finding(42, "fatal")])
    with pytest.raises(StoreError):  # two rows with one id
        store.replace_audit_findings([_finding(41), _finding(41)])
    with pytest.raises(StoreError):  # message_vi is required
        store.replace_audit_findings([_finding(41, message_vi=None)])
    with pytest.raises(KeyError):  # a row without a column fails before the store is touched
        store.replace_audit_findings([{k: v for k, v in _finding(41).items() if k != "doc_ids"}])

    assert _findings(store) == _by_id(previous)


def test_finding_times_are_stored_as_naive_utc(store: Store) -> None:
    hanoi = dt.timezone(dt.timedelta(hours=7))
    store.replace_audit_findings([_finding(24, created_at=dt.datetime(2025, 7, 1, 15, 30, tzinfo=hanoi))])
    assert _findings(store)[0]["created_at"] == dt.datetime(2025, 7, 1, 8, 30)


def test_findings_never_hold_back_reloads_or_prune(store: Store) -> None:
    old, old_ex = khoi_2024(path="corpus/khoi.txt")
    store.load_document(old, old_ex)
    kept = [_finding(24, doc_ids=old.id), _finding(30, doc_ids=f"{old.id},{'b' * 64}")]
    store.replace_audit_findings(kept)

    store.load_document(*khoi_2020(path="corpus/khoi.txt"))  # the file changed: its old facts go
    assert store.prune([]) == ["corpus/khoi.txt"]

    assert fact_counts(store) == dict.fromkeys((*FACTS, "rejected_inputs"), 0)
    assert _findings(store) == _by_id(kept)  # until the next audit replaces them


def test_the_audit_saves_its_findings_in_the_store(store: Store, make_doc, tmp_path: Path) -> None:
    text = (
        "Đến nay, Chi bộ Công ty Cổ phần Hòa Bình đã phát triển được tổng cộng 30 đảng viên, "
        "trong đó có 20 đảng viên chính thức và 12 đảng viên dự bị."
    )
    members = {"object": "party_member", "event": "total", "subject": "Chi bộ Công ty Cổ phần Hòa Bình"}
    info = khoi_2024()[1].info.model_copy(update={"province": "Bắc Giang"})
    doc, ex = make_doc(
        text,
        "corpus/hoa_binh.txt",
        info=info,
        figures=[
            dict(quote="30 đảng viên", value=30, **members),
            dict(quote="20 đảng viên chính thức", value=20, parent=0, **members),
            dict(quote="12 đảng viên dự bị", value=12, parent=0, **members),
        ],
    )
    store.load_document(doc, ex)

    result = run_audit(store, html_path=tmp_path / "audit.html", csv_path=tmp_path / "audit.csv")
    run_audit(store, html_path=tmp_path / "audit.html", csv_path=tmp_path / "audit.csv")  # a rerun replaces

    saved = _findings(store)
    assert [r["id"] for r in saved] == sorted(f.id for f in result.findings) and len(saved) >= 1
    (error,) = [r for r in saved if r["rule"] == "breakdown_exceeds_total"]
    assert (error["severity"], error["province"], error["arithmetic"]) == ("error", "Bắc Giang", "20 + 12 = 32 ≠ 30")
    assert error["doc_ids"] == doc.id and isinstance(error["created_at"], dt.datetime)
    assert [f["quote"] for f in json.loads(error["facts_json"])] == [
        "30 đảng viên",
        "20 đảng viên chính thức",
        "12 đảng viên dự bị",
    ]


# --- migrations: databases that older versions left ---------------------------------


@contextmanager
def _unmigrated(target: str) -> Iterator[Store]:
    """The store at `target` opened as it is: no schema created, nothing migrated."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Store, "_migrate", lambda self: [])
        with open_store(target) as s:
            yield s


# The views versions 1 to 5 had; version 6 added the organization views.
_VIEWS_BEFORE_6 = ("figures_consolidated", "figure_timeseries")


def _views_at(version: int) -> list[str]:
    """The views as `version` defined them. Before version 3 no figure had a province_2025
    of its own, and today's views over a NULL one are the views of versions 1 and 2."""
    if version >= 6:
        return view_statements()
    old = [f"CREATE VIEW {name} AS {VIEWS[name]}" for name in _VIEWS_BEFORE_6]
    if version >= 3:
        return old
    assert all("f.province_2025" in sql for sql in old)
    return [sql.replace("f.province_2025", "CAST(NULL AS VARCHAR)") for sql in old]


def _database_at(target: str, version: int, pairs: Sequence[tuple] = (), rejections: Sequence[Rejection] = ()) -> None:
    """A database as the code of `version` left it, holding these documents and rejections.

    Its tables have the shape that version created (migrations.tables_at) and its rows
    are today's, cut to the tables and columns that version had.
    """
    tables = {t.name: t for t in migrations.tables_at(version)}
    now = utcnow()
    rows: dict[str, list[dict]] = {name: [] for name in tables}
    for doc, ex in pairs:
        rows["documents"].append(document_row(doc, ex, now))
        for table, facts in fact_rows(doc, ex).items():
            if table in tables:  # a table the version did not have held nothing
                rows[table] += facts
    for rej in rejections:
        rows["rejected_inputs"].append(rejection_row(rej, now))
        if rej.doc_id:
            rows["documents"].append(rejected_document_row(rej, now))

    def body(tx) -> None:
        for sql in [s for t in tables.values() for s in table_statements(t, dialect)] + _views_at(version):
            tx.execute(sql)
        for m in [m for m in migrations.MIGRATIONS if m.version <= version]:
            tx.execute("INSERT INTO schema_meta VALUES (?, ?, ?)", (m.version, m.description, now))
        for name, table in tables.items():  # creation order: documents before the rows that refer to them
            if rows[name]:
                tx.insert(name, table.column_names, [tuple(r[c] for c in table.column_names) for r in rows[name]])

    with _unmigrated(target) as s:
        dialect = s.dialect
        s._run(body)


def _tables(store: Store) -> set[str]:
    schema = "current_schema()" if store.dialect == "postgres" else "'main'"
    df = store.fetch_df(
        f"SELECT table_name FROM information_schema.tables WHERE table_schema = {schema} AND table_type = 'BASE TABLE'"
    )
    return set(df["table_name"])


def _table_shape(store: Store, table: str) -> tuple[list[tuple[str, str, bool]], set[str]]:
    """(column, SQL type, nullable) in order, and the secondary index names of `table`."""
    if store.dialect == "postgres":
        where = "table_schema = current_schema()"
        indexes = "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ?"
    else:
        where = "table_schema = 'main'"
        indexes = "SELECT index_name AS name FROM duckdb_indexes() WHERE table_name = ?"
    cols = store.fetch_df(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
        f"WHERE {where} AND table_name = ? ORDER BY ordinal_position",
        [table],
    )
    names = set(store.fetch_df(indexes, [table])["name"])
    columns = [
        (r.column_name, r.data_type.lower().removesuffix(" without time zone"), r.is_nullable == "YES")
        for r in cols.itertuples()
    ]
    return columns, {n for n in names if n.startswith("ix_")}


def _ddl_shape(table: Table, dialect: str) -> tuple[list[tuple[str, str, bool]], set[str]]:
    columns = [(c.name, TYPES[c.type][dialect].lower(), c.nullable) for c in table.columns]
    return columns, {index_name(table, ix) for ix in table.indexes if dialect in ix.dialects}


def _assert_current_schema(store: Store) -> None:
    """Every table as ddl.py defines it, and every version recorded."""
    versions = store.fetch_df("SELECT version FROM schema_meta ORDER BY version")["version"].tolist()
    assert versions == [m.version for m in migrations.MIGRATIONS]  # versions of other branches may be missing
    assert _tables(store) == {t.name for t in TABLES}
    for table in TABLES:
        assert _table_shape(store, table.name) == _ddl_shape(table, store.dialect), table.name


def _rows(store: Store, table: str, columns: pd.Index) -> pd.DataFrame:
    return store.fetch_df(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id")


def test_each_version_s_tables_are_what_it_created() -> None:
    def names(version: int) -> list[str]:
        return [t.name for t in migrations.tables_at(version)]

    def figure_columns(version: int) -> tuple[str, ...]:
        return {t.name: t for t in migrations.tables_at(version)}["figures"].column_names

    assert migrations.tables_at(migrations.latest_version()) == TABLES
    assert names(1) == ["documents", "figures", "doc_refs", "dates", "rejected_inputs", "schema_meta"]
    assert names(2) == ["documents", "figures", "doc_refs", "dates", "rejected_inputs", "audit_findings", "schema_meta"]
    added_in_4 = ("detail", "confidence", "decided_by")
    v5_figure_columns = (*TableCellRef.model_fields, "ocr_confidence")
    added_in_6 = ("organization_id",)
    added_in_9 = ("period_basis",)
    assert "people" in names(3) and (figure_columns(3) + added_in_4 + v5_figure_columns + added_in_6 + added_in_9
                                     == FIGURES.column_names)
    assert figure_columns(2) == figure_columns(3)[:-1] and figure_columns(3)[-1] == "province_2025"
    assert figure_columns(4) == figure_columns(3) + added_in_4
    assert figure_columns(5) == figure_columns(4) + v5_figure_columns
    assert figure_columns(6) == figure_columns(5) + added_in_6
    assert figure_columns(9) == FIGURES.column_names and FIGURES.column_names[-1:] == added_in_9
    assert "symbol" in {t.name: t for t in migrations.tables_at(5)}["documents"].column_names
    assert "symbol" not in {t.name: t for t in migrations.tables_at(4)}["documents"].column_names
    assert "organizations" not in names(5) and {"organizations", "organization_aliases", "labels"} <= set(names(6))
    assert "mentioned_year" not in {t.name: t for t in migrations.tables_at(5)}["documents"].column_names
    assert "minhash" in {t.name: t for t in migrations.tables_at(9)}["documents"].column_names
    assert "minhash" not in {t.name: t for t in migrations.tables_at(6)}["documents"].column_names
    assert "extractor_version" not in {t.name: t for t in migrations.tables_at(2)}["documents"].column_names
    step_3 = migrations.MIGRATIONS[2].statements("postgres")
    assert step_3[:2] == ["ALTER TABLE figures ADD COLUMN province_2025 TEXT",
                          "ALTER TABLE documents ADD COLUMN extractor_version TEXT"]
    assert step_3[2].startswith("CREATE TABLE IF NOT EXISTS people (")
    assert migrations.MIGRATIONS[3].statements("postgres") == [
        "ALTER TABLE figures ADD COLUMN detail TEXT", "ALTER TABLE figures ADD COLUMN confidence DOUBLE PRECISION",
        "ALTER TABLE figures ADD COLUMN decided_by TEXT"]


def test_a_version_1_database_gets_the_audit_findings_table_on_open(store_target: str) -> None:
    rejection = Rejection(path="corpus/x.pdf", name="x.pdf", reason="Tệp hỏng", error="bad", doc_id="c" * 64)
    _database_at(store_target, 1, [khoi_2024(), khoi_2020()], [rejection])
    with _unmigrated(store_target) as s:
        assert s.schema_version() == 1 and "audit_findings" not in _tables(s)
        before = {t: s.fetch_df(f"SELECT * FROM {t} ORDER BY id") for t in (*FACTS, "rejected_inputs")}

    with open_store(store_target) as s:  # this code
        assert s.schema_version() == migrations.latest_version()
        meta = s.fetch_df("SELECT version, description FROM schema_meta ORDER BY version")
        assert meta["description"].tolist()[1] == "audit_findings table for the audit stage"
        _assert_current_schema(s)
        assert s.counts()["audit_findings"] == 0

        for table, rows in before.items():  # documents and facts came through untouched
            assert _rows(s, table, rows.columns).equals(rows), table
        assert fact_counts(s) == {"documents": 3, "figures": 6, "doc_refs": 1, "dates": 2, "rejected_inputs": 1}
        assert _consolidated(s, "party_member")["value"] == 4989  # views recreated and working

        s.replace_audit_findings([_finding(24), _finding(30, "warning")])
        assert s.counts()["audit_findings"] == 2
        with pytest.raises(StoreError):  # the CHECK came with the migrated table
            s.replace_audit_findings([_finding(24, "fatal")])

    with open_store(store_target) as s:  # nothing left to run; the findings stay
        assert s.schema_version() == migrations.latest_version() and s.counts()["audit_findings"] == 2


def test_a_version_2_database_gets_people_and_figure_provinces_on_open(store_target: str) -> None:
    signed = khoi_2024_signed()  # version 2 had nowhere to keep the official it names
    rejection = Rejection(path="corpus/x.pdf", name="x.pdf", reason="Tệp hỏng", error="bad", doc_id="c" * 64)
    _database_at(store_target, 2, [signed, khoi_2020(), kcn()], [rejection])
    with _unmigrated(store_target) as s:
        assert s.schema_version() == 2 and "people" not in _tables(s) and "audit_findings" in _tables(s)
        assert "province_2025" not in s.fetch_df("SELECT * FROM figures").columns
        before = {t: s.fetch_df(f"SELECT * FROM {t} ORDER BY id") for t in (*FACTS, "rejected_inputs")}
        views_before = {v: s.fetch_df(f"SELECT * FROM {v}") for v in _VIEWS_BEFORE_6}

    with open_store(store_target) as s:
        assert s.schema_version() == migrations.latest_version()
        assert s.fetch_df("SELECT extractor_version FROM documents")["extractor_version"].isna().all()  # read again on the next run
        meta = s.fetch_df("SELECT version, description FROM schema_meta ORDER BY version")
        assert meta["description"].tolist()[2] == migrations.MIGRATIONS[2].description
        _assert_current_schema(s)

        for table, rows in before.items():  # documents and facts came through untouched
            assert _rows(s, table, rows.columns).equals(rows), table
        assert fact_counts(s) == {"documents": 4, "figures": 9, "doc_refs": 1, "dates": 2, "rejected_inputs": 1}
        assert s.fetch_df("SELECT province_2025 FROM figures")["province_2025"].isna().all()
        assert s.counts()["people"] == 0
        # Figures loaded before version 3 have no successor of their own: the views read
        # the document's, as version 2 did.
        for view, rows in views_before.items():
            assert s.fetch_df(f"SELECT * FROM {view}").equals(rows), view
        assert _consolidated(s, "party_member")["province_2025"] == "Quảng Trị"

        # Reloading the document now keeps its official; a change of the file, then prune, remove him.
        assert s.load_document(*signed).people == 1
        people = s.fetch_df("SELECT doc_id, name, role, kind, quote FROM people")
        assert people.to_dict("records") == [
            {
                "doc_id": signed[0].id,
                "name": TIEN["quote"],
                "role": TIEN["role"],
                "kind": "official",
                "quote": "Thịnh Đức Tiền",
            }
        ]
        s.load_document(*khoi_2024(path=signed[0].path))  # the byline was cut from the file
        assert s.counts()["people"] == 0
        s.load_document(*khoi_2024_signed(path="corpus/khoi_2024_ky.txt"))
        assert s.prune([khoi_2020()[0].path, kcn()[0].path]) == [
            "corpus/khoi_2024.txt",
            "corpus/khoi_2024_ky.txt",
            "corpus/x.pdf",
        ]
        assert s.counts()["people"] == 0 and fact_counts(s)["documents"] == 2


def test_a_fresh_database_has_the_tables_ddl_defines(store: Store) -> None:
    _assert_current_schema(store)


def _consolidated(store: Store, obj: str) -> dict:
    df = store.fetch_df(f"SELECT * FROM figures_consolidated WHERE object = '{obj}' AND subject = '{KHOI}'")
    assert len(df) == 1
    return df.iloc[0].to_dict()


def test_the_consolidated_view_picks_the_value_most_sources_state(store: Store) -> None:
    a, a_ex = khoi_2024()
    repost, repost_ex = khoi_2024(
        path="corpus/khoi_2024_repost.txt", text="Tin đăng lại. " + khoi_2024()[0].text, doc_date=dt.date(2024, 7, 10)
    )
    old, old_ex = khoi_2020()
    for pair in ((a, a_ex), (repost, repost_ex), (old, old_ex)):
        store.load_document(*pair)

    members = _consolidated(store, "party_member")
    assert (members["value"], members["qualifier"], members["n_sources"]) == (4989, "exact", 2)
    assert members["alternatives"] == "5000" and members["n_alternatives"] == 1 and members["n_documents"] == 3
    assert members["source_doc_ids"] == "; ".join(sorted([a.id, repost.id]))
    assert members["source_names"] == "khoi_2024.txt; khoi_2024_repost.txt"
    assert (members["province"], members["province_2025"]) == ("Quảng Trị", "Quảng Trị")
    assert members["latest_doc_date"] == dt.date(2024, 7, 10)

    # The audit finds the repost is the same article: one source each, and the
    # tie goes to the most recent document (4.989 in 2024), not the larger value.
    store.mark_duplicate(repost.id, a.id)
    members = _consolidated(store, "party_member")
    assert (members["value"], members["n_sources"], members["n_documents"]) == (4989, 1, 2)
    assert members["alternatives"] == "5000"


def test_a_tie_between_sources_goes_to_the_most_recent_document(store: Store) -> None:
    store.load_document(*khoi_2024(doc_date=dt.date(2019, 12, 31)))  # now older than the 2020 article
    store.load_document(*khoi_2020())

    members = _consolidated(store, "party_member")
    assert (members["value"], members["qualifier"], members["alternatives"]) == (5000, "approx", "4989")
    orgs = _consolidated(store, "party_org")
    assert (orgs["value"], orgs["alternatives"]) == (81, "84")


def test_the_timeseries_orders_values_by_period_or_document_date(store: Store, make_doc) -> None:
    store.load_document(*khoi_2024())
    store.load_document(*khoi_2020())
    store.load_document(*kcn())
    text = "Năm 2023, Đảng bộ Khối kết nạp 120 đảng viên mới."
    store.load_document(
        *make_doc(
            text,
            "corpus/ket_nap_2023.txt",
            info=khoi_2024()[1].info.model_copy(update={"doc_date": dt.date(2024, 1, 15)}),
            figures=[
                {
                    "quote": "120 đảng viên",
                    "object": "party_member",
                    "event": "admitted",
                    "value": 120,
                    "subject": KHOI,
                    "period_start": dt.date(2023, 1, 1),
                    "period_end": dt.date(2023, 12, 31),
                }
            ],
        )
    )

    ts = store.fetch_df(f"SELECT * FROM figure_timeseries WHERE subject = '{KHOI}' AND object = 'party_member'")
    totals = ts[ts["event"] == "total"]
    assert list(zip(totals["as_of"], totals["value"], totals["qualifier"])) == [
        (dt.date(2020, 8, 23), 5000, "approx"),
        (dt.date(2024, 7, 3), 4989, "exact"),
    ]
    admitted = ts[ts["event"] == "admitted"].iloc[0]
    assert (admitted["as_of"], admitted["period_start"], admitted["value"]) == (
        dt.date(2023, 12, 31),
        dt.date(2023, 1, 1),
        120,
    )
    assert set(store.fetch_df("SELECT province FROM figure_timeseries")["province"]) == {"Quảng Trị", "Bình Phước"}


def test_open_store_defaults_to_outputs_duckdb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store(None) as s:
        assert s.schema_version() == SCHEMA_VERSION
    assert (tmp_path / "outputs" / "baocao.duckdb").is_file()


def test_a_duckdb_file_held_by_another_run_is_waited_for(tmp_path: Path) -> None:
    path = tmp_path / "busy.duckdb"
    open_store(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            # another baocao run (its command line says so): it lets go, so it is waited for
            "import baocao.store, duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(2)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(TransientStoreError):
            open_store(path, timeout=0.3)
        started = time.monotonic()
        with open_store(path, timeout=30) as s:  # waits until the other run lets go
            assert s.schema_version() == SCHEMA_VERSION
        assert time.monotonic() - started > 0.5
    finally:
        holder.wait(timeout=30)


def test_an_unreachable_postgres_is_a_transient_error() -> None:
    with pytest.raises(TransientStoreError):
        open_store("postgresql://baocao:baocao@127.0.0.1:1/baocao", timeout=0.2)


def test_fetch_df_takes_parameters_and_literal_percent_signs(store: Store) -> None:
    store.load_document(*khoi_2024())
    store.load_document(*kcn())

    by_param = store.fetch_df(
        "SELECT value FROM figures WHERE object = ? AND value > ? ORDER BY value", ["party_member", 100]
    )
    assert by_param["value"].tolist() == [4989]
    like = store.fetch_df("SELECT quote FROM figures WHERE quote LIKE '%đảng viên' ORDER BY quote")
    assert like["quote"].tolist() == ["27 đảng viên", "4.989 đảng viên"]
    both = store.fetch_df("SELECT quote FROM figures WHERE quote LIKE '%Chi bộ%' AND doc_id = ?", [khoi_2024()[0].id])
    assert both["quote"].tolist() == ["38 Chi bộ cơ sở"]


def test_a_wrong_postgres_password_fails_at_once() -> None:
    url = os.environ.get("BAOCAO_TEST_PG_URL")
    if not url:
        pytest.skip("BAOCAO_TEST_PG_URL is not set")
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    wrong = parts._replace(netloc=f"{parts.username}:not-the-password@{parts.hostname}:{parts.port or 5432}").geturl()
    started = time.monotonic()
    with pytest.raises(StoreError) as caught:
        open_store(wrong, timeout=30)
    assert not isinstance(caught.value, TransientStoreError)  # waiting would not fix it
    assert time.monotonic() - started < 10


def test_a_version_3_database_gets_figure_details_and_confidence_on_open(store_target: str) -> None:
    _database_at(store_target, 3, [khoi_2020(), kcn()], [])
    with _unmigrated(store_target) as s:
        assert s.schema_version() == 3
        assert "detail" not in s.fetch_df("SELECT * FROM figures").columns
        before = {t: s.fetch_df(f"SELECT * FROM {t} ORDER BY id") for t in FACTS}
    with open_store(store_target) as s:
        assert s.schema_version() == migrations.latest_version()
        _assert_current_schema(s)
        for table, rows in before.items():  # facts came through untouched
            assert _rows(s, table, rows.columns).equals(rows), table
        figures = s.fetch_df("SELECT detail, confidence, decided_by FROM figures")
        assert len(figures) and figures.isna().all().all()  # read again by the next run, which fills them
        s.load_document(*khoi_2020())
        filled = s.fetch_df("SELECT confidence, decided_by FROM figures WHERE doc_id = ?", [khoi_2020()[0].id])
        assert filled["confidence"].notna().all() and filled["decided_by"].notna().all()


def test_a_step_merged_below_the_databases_version_is_still_run() -> None:
    """Branches number their steps apart: a database that got 8 before 6 was merged gets 6 on open
    (and 9, above it, as any step above the database's version)."""
    step = migrations.plan(8, "duckdb", applied={1, 2, 3, 4, 5, 8})
    assert [m.version for m in step.versions] == [6, 9]
    assert any("organizations" in sql for sql in step.statements)
    assert migrations.plan(9, "duckdb", applied={m.version for m in migrations.MIGRATIONS}).versions == []


def test_threads_of_one_process_read_a_duckdb_file_at_once(tmp_path: Path) -> None:
    """The review app answers requests in threads; each read opens and closes the file."""
    import threading

    with open_store(tmp_path / "shared.duckdb") as store:
        store.load_document(*khoi_2024())
        errors: list[BaseException] = []

        def read() -> None:
            for _ in range(25):
                try:
                    assert store.fetch_df("SELECT COUNT(*) AS n FROM figures")["n"][0] == 4
                except BaseException as exc:  # noqa: BLE001 - collected for the assertion below
                    errors.append(exc)

        threads = [threading.Thread(target=read) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
