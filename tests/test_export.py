"""Exports: one file per table and view, readable back, Vietnamese headers in the workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from conftest import kcn, khoi_2020, khoi_2024

from baocao.export import EXPORTS, export
from baocao.store import Store
from baocao.store.dictionary import vietnamese_header
from schemas.records import Rejection

TABLES = list(EXPORTS)


@pytest.fixture
def loaded(store: Store) -> Store:
    for pair in (khoi_2024(), khoi_2020(), kcn()):
        store.load_document(*pair)
    store.record_rejection(
        Rejection(path="corpus/scan.pdf", name="scan.pdf", reason="PDF chỉ có ảnh\x0c quét", error="no_text_layer")
    )
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


def test_an_empty_store_exports_typed_empty_files(store: Store, tmp_path: Path) -> None:
    export(store, "parquet", tmp_path)
    empty = pd.read_parquet(tmp_path / "figures.parquet")
    assert len(empty) == 0 and empty["value"].dtype == "float64"


def test_csv_files_read_back_with_vietnamese_text(loaded: Store, tmp_path: Path) -> None:
    files = export(loaded, "csv", tmp_path)

    assert [f.name for f in files] == [f"{t}.csv" for t in TABLES]
    assert (tmp_path / "figures.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel
    refs = pd.read_csv(tmp_path / "doc_refs.csv")
    assert refs["ref"].tolist() == ["1405-QĐ/TU"] and refs["issued"].tolist() == ["2019-06-26"]
    ts = pd.read_csv(tmp_path / "figure_timeseries.csv")
    assert {"as_of", "value", "n_sources"} <= set(ts.columns)


def test_the_workbook_has_one_sheet_per_table_with_vietnamese_headers(loaded: Store, tmp_path: Path) -> None:
    files = export(loaded, "xlsx", tmp_path)

    assert [f.name for f in files] == ["baocao.xlsx"]
    sheets = pd.read_excel(files[0], sheet_name=None)
    assert list(sheets) == TABLES
    figures = sheets["figures"]
    assert {"Giá trị", "Trích dẫn", "Đối tượng", "Mã tài liệu"} <= set(figures.columns)
    assert list(figures.columns) == [
        vietnamese_header("figures", c) for c in loaded.fetch_df("SELECT * FROM figures").columns
    ]
    assert sorted(figures["Giá trị"]) == [27, 38, 46, 81, 84, 137, 4989, 5000, 62103]
    rejected = sheets["rejected_inputs"]
    assert rejected["Lý do"].tolist() == ["PDF chỉ có ảnh quét"]  # control character dropped
    assert "Số nguồn" in sheets["figures_consolidated"].columns


def test_an_unknown_format_is_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export(store, "json", tmp_path)  # type: ignore[arg-type]
