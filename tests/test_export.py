"""Exports: one file per table and view, readable back, Vietnamese headers in the workbook."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import TIEN, kcn, khoi_2020, khoi_2024_signed

from baocao.export import EXPORTS, XLSX_MAX_CELL, export, header, with_labels
from baocao.organizations import organize
from baocao.store import Store
from baocao.store.dictionary import vietnamese_sheet_name
from schemas.records import Rejection

TABLES = list(EXPORTS)
RUN_AT = dt.datetime(2025, 7, 1, 8, 30)


def finding(key: str, severity: str, province: str | None, **changes: object) -> dict:
    """An audit_findings row as the audit stage writes it."""
    row = {
        "id": f"{key:0>40}",
        "rule": "cross_doc_conflict",
        "severity": severity,
        "province": province,
        "subject": "Đảng bộ Khối",
        "object": "party_member",
        "event": "total",
        "message_vi": f"Các tài liệu nêu số đảng viên khác nhau ({key}).",
        "message_en": f"Documents state different numbers of party members ({key}).",
        "arithmetic": "4989 ≠ ~5000",
        "facts_json": json.dumps([{"quote": "4.989 đảng viên", "page": 1}], ensure_ascii=False),
        "doc_ids": "a,b",
        "created_at": RUN_AT,
    }
    row.update(changes)
    return row


# Saved in no particular order; exported most serious first.
FINDINGS = [
    finding("3", "info", "Quảng Trị"),
    finding("2", "warning", "Bình Phước"),
    finding("1", "error", "Quảng Trị", arithmetic=None),
    finding("0", "error", "Bình Phước"),
]


@pytest.fixture
def loaded(store: Store) -> Store:
    for pair in (khoi_2024_signed(), khoi_2020(), kcn()):
        store.load_document(*pair)
    store.record_rejection(
        Rejection(path="corpus/scan.pdf", name="scan.pdf", reason="PDF chỉ có ảnh\x0c quét", error="no_text_layer")
    )
    store.replace_audit_findings(FINDINGS)
    return store


def test_parquet_files_are_named_after_tables_and_keep_types(loaded: Store, tmp_path: Path) -> None:
    files = export(loaded, "parquet", tmp_path)

    assert [f.name for f in files] == [f"{t}.parquet" for t in TABLES]
    figures = pd.read_parquet(tmp_path / "figures.parquet")
    assert len(figures) == 9 and figures["page"].dtype == "int32" and figures["value"].dtype == "float64"
    assert "4.989 đảng viên" in set(figures["quote"])
    best = pd.read_parquet(tmp_path / "figures_consolidated.parquet")
    members = best[(best["object"] == "party_member") & (best["province"] == "Quảng Trị")].iloc[0]
    assert (members["value"], members["alternatives"]) == (4989, "5000")
    documents = pd.read_parquet(tmp_path / "documents.parquet")
    assert documents["doc_date"].tolist() == [dt.date(2023, 5, 12), dt.date(2020, 8, 23), dt.date(2024, 7, 3)]
    people = pd.read_parquet(tmp_path / "people.parquet")
    assert people[["name", "role", "kind", "quote"]].values.tolist() == [
        ["Thịnh Đức Tiền", TIEN["role"], "official", "Thịnh Đức Tiền"]
    ]
    assert people["start_offset"].dtype == "int32"


def test_audit_findings_are_exported_most_serious_first(loaded: Store, tmp_path: Path) -> None:
    export(loaded, "parquet", tmp_path)

    findings = pd.read_parquet(tmp_path / "audit_findings.parquet")
    assert list(zip(findings["severity"], findings["province"], strict=True)) == [
        ("error", "Bình Phước"),
        ("error", "Quảng Trị"),
        ("warning", "Bình Phước"),
        ("info", "Quảng Trị"),
    ]
    assert findings["created_at"].tolist() == [pd.Timestamp(RUN_AT)] * 4
    assert findings["arithmetic"].isna().tolist() == [False, True, False, False]  # NULL stays empty
    assert json.loads(findings["facts_json"][0]) == [{"quote": "4.989 đảng viên", "page": 1}]


def test_an_empty_store_exports_typed_empty_files(store: Store, tmp_path: Path) -> None:
    export(store, "parquet", tmp_path)
    empty = pd.read_parquet(tmp_path / "figures.parquet")
    assert len(empty) == 0 and empty["value"].dtype == "float64"
    no_people = pd.read_parquet(tmp_path / "people.parquet")
    assert len(no_people) == 0 and no_people["seq"].dtype == "int32"
    no_findings = pd.read_parquet(tmp_path / "audit_findings.parquet")
    assert len(no_findings) == 0 and no_findings["created_at"].dtype == "datetime64[us]"


def test_csv_files_read_back_with_vietnamese_text(loaded: Store, tmp_path: Path) -> None:
    files = export(loaded, "csv", tmp_path)

    assert [f.name for f in files] == [f"{t}.csv" for t in TABLES]
    assert (tmp_path / "figures.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel
    refs = pd.read_csv(tmp_path / "doc_refs.csv")
    assert refs["ref"].tolist() == ["1405-QĐ/TU"] and refs["issued"].tolist() == ["2019-06-26"]
    assert pd.read_csv(tmp_path / "people.csv")["name"].tolist() == ["Thịnh Đức Tiền"]
    ts = pd.read_csv(tmp_path / "figure_timeseries.csv")
    assert {"as_of", "value", "n_sources"} <= set(ts.columns)


def _headers(store: Store, table: str) -> list[str]:
    return [header(table, c) for c in with_labels(table, store.fetch_df(f"SELECT * FROM {table}")).columns]


def test_the_workbook_has_one_sheet_per_table_in_vietnamese_with_labels_beside_codes(loaded: Store, tmp_path: Path) -> None:
    files = export(loaded, "xlsx", tmp_path)

    assert [f.name for f in files] == ["baocao.xlsx"]
    sheets = pd.read_excel(files[0], sheet_name=None)
    assert list(sheets) == [vietnamese_sheet_name(t) for t in TABLES]
    assert {"Tổng theo tỉnh và cấp", "Tổ chức", "Số liệu", "Kết quả kiểm tra", "Nhãn của mã"} <= set(sheets)
    assert all(len(name) <= 31 for name in sheets)
    figures = sheets["Số liệu"]
    assert {"Giá trị", "Trích dẫn", "Đối tượng", "Đối tượng (mã)", "Mã tài liệu"} <= set(figures.columns)
    assert list(figures.columns) == _headers(loaded, "figures")
    assert sorted(figures["Giá trị"]) == [27, 38, 46, 81, 84, 137, 4989, 5000, 62103]
    members = figures[figures["Đối tượng (mã)"] == "party_member"]
    assert set(members["Đối tượng"]) == {"Đảng viên"} and set(members["Sự kiện"]) == {"Tổng số hiện có"}
    assert figures[figures["Giá trị"] == 5000]["Mức độ chính xác"].tolist() == ["Xấp xỉ (gần, khoảng)"]
    rejected = sheets["Tệp bị từ chối"]
    assert rejected["Lý do"].tolist() == ["PDF chỉ có ảnh quét"]  # control character dropped
    assert "Số nguồn" in sheets["Số liệu tổng hợp"].columns
    people = sheets["Người được nêu"]
    assert list(people.columns) == _headers(loaded, "people")
    assert people[["Họ và tên", "Chức vụ", "Loại (tác giả, cán bộ)"]].values.tolist() == [
        ["Thịnh Đức Tiền", TIEN["role"], "Cán bộ được nêu tên"]
    ]
    findings = sheets["Kết quả kiểm tra"]
    assert list(findings.columns) == _headers(loaded, "audit_findings")
    assert findings["Mức độ (mã)"].tolist() == ["error", "error", "warning", "info"]
    assert findings["Mức độ"].tolist() == ["Lỗi", "Lỗi", "Cảnh báo", "Thông tin"]
    assert set(findings["Quy tắc kiểm tra"]) == {"Các tài liệu nêu số liệu khác nhau"}
    assert findings["Nội dung (tiếng Việt)"][0] == "Các tài liệu nêu số đảng viên khác nhau (0)."


def test_exports_carry_organizations_and_their_levels_in_vietnamese(loaded: Store, tmp_path: Path) -> None:
    organize(loaded)
    export(loaded, "parquet", tmp_path)
    figures = pd.read_parquet(tmp_path / "figures.parquet")
    assert list(figures.columns[figures.columns.get_loc("object") : figures.columns.get_loc("object") + 2]) == [
        "object", "object_vi"]  # fmt: skip
    assert figures["organization_id"].notna().sum() == 6  # the six figures with a subject
    orgs = pd.read_parquet(tmp_path / "organizations.parquet")
    khoi = orgs[orgs["name"] == "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh Quảng Trị"].iloc[0]
    assert (khoi["level"], khoi["level_vi"].split(" (")[0]) == ("under_provincial", "Cấp huyện và tương đương")
    sheets = pd.read_excel(export(loaded, "xlsx", tmp_path / "x")[0], sheet_name=None)
    yearly = sheets["Số liệu theo tổ chức và năm"]
    assert {"Tên tổ chức", "Cấp tổ chức", "Cấp tổ chức (mã)", "Năm", "Mã các số liệu"} <= set(yearly.columns)
    assert len(sheets["Nhãn của mã"]) > 100


def test_a_cell_too_long_for_excel_is_cut_in_the_workbook_only(store: Store, tmp_path: Path) -> None:
    facts = json.dumps([{"quote": "4.989 đảng viên", "sentence": "Hiện nay, Đảng bộ Khối có 84 TCCS đảng. " * 40}] * 30)
    assert len(facts) > XLSX_MAX_CELL
    store.replace_audit_findings([finding("1", "error", "Quảng Trị", facts_json=facts)])

    (path,) = export(store, "xlsx", tmp_path / "xlsx")
    cell = pd.read_excel(path, sheet_name=vietnamese_sheet_name("audit_findings"))["Số liệu làm căn cứ (JSON)"][0]
    assert len(cell) == XLSX_MAX_CELL and cell.startswith(facts[:1000]) and cell.endswith("truncated]")

    export(store, "csv", tmp_path / "csv")  # the other formats keep the text whole
    assert pd.read_csv(tmp_path / "csv" / "audit_findings.csv")["facts_json"][0] == facts
    export(store, "parquet", tmp_path / "parquet")
    assert pd.read_parquet(tmp_path / "parquet" / "audit_findings.parquet")["facts_json"][0] == facts


def test_an_unknown_format_is_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export(store, "json", tmp_path)  # type: ignore[arg-type]
