"""Untrusted text stays inert downstream: no live formula in an export, no terminal escape in a name."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from conftest import make_doc_pair

from baocao.export import export
from baocao.safe_text import csv_cell, looks_like_formula, shown
from baocao.store import Store

HYPERLINK = '=HYPERLINK("http://example.invalid/x","Bấm vào đây")'
TEXT = (
    f"{HYPERLINK} Toàn Đảng bộ có 84 TCCS đảng.\n"
    "- Kết nạp 141 đảng viên mới.\n"
    "@SUM(1+1) với 32 đảng viên.\n"
    "\t+5 chi bộ và 4.989 đảng viên.\n"
)


def _loaded(store: Store) -> Store:
    figures = [
        {"quote": "84 TCCS đảng", "object": "party_org", "event": "total", "value": 84},
        {"quote": "141 đảng viên", "object": "party_member", "event": "admitted", "value": 141},
        {"quote": "32 đảng viên", "object": "party_member", "event": "total", "value": 32},
        {"quote": "4.989 đảng viên", "object": "party_member", "event": "total", "value": 4989},
    ]
    doc, ex = make_doc_pair(TEXT, "corpus/=cmd|'-C calc'!A0.txt", figures=figures)
    # sentences as the extractor gives them: each line, formula-like start included
    for f in ex.figures:
        f.sentence = TEXT[f.sentence_start : TEXT.index("\n", f.sentence_start)]
    store.load_document(doc, ex)
    return store


@pytest.mark.parametrize("text", [HYPERLINK, "+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "  =1"])
def test_text_that_starts_a_formula_is_recognized(text: str) -> None:
    assert looks_like_formula(text)
    assert csv_cell(text).startswith("'")


@pytest.mark.parametrize("text", ["Toàn tỉnh có 4.989 đảng viên", "84 TCCS đảng", "03-NQ/TU", "", "a=b"])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert csv_cell(text) == text


def test_csv_cells_lose_control_characters_but_keep_line_breaks() -> None:
    assert csv_cell("PDF chỉ có ảnh\x0cquét\x00\x1b[2J") == "PDF chỉ có ảnh quét[2J"
    assert csv_cell("dòng 1\r\ndòng 2") == "dòng 1\ndòng 2"


def test_csv_export_holds_no_live_formula(store: Store, tmp_path: Path) -> None:
    export(_loaded(store), "csv", tmp_path)
    with open(tmp_path / "figures.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    sentences = [r["sentence"] for r in rows]
    assert f"'{HYPERLINK} Toàn Đảng bộ có 84 TCCS đảng." in sentences
    assert "'- Kết nạp 141 đảng viên mới." in sentences
    assert "'@SUM(1+1) với 32 đảng viên." in sentences
    for path in tmp_path.glob("*.csv"):
        with open(path, encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f):
                assert not any(looks_like_formula(cell) for cell in row), (path.name, row)
    with open(tmp_path / "documents.csv", encoding="utf-8-sig", newline="") as f:
        (doc,) = list(csv.DictReader(f))
    assert doc["name"] == "'=cmd|'-C calc'!A0.txt"


def test_workbook_cells_are_text_with_the_words_unchanged(store: Store, tmp_path: Path) -> None:
    (path,) = export(_loaded(store), "xlsx", tmp_path)
    wb = openpyxl.load_workbook(path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows(min_row=2) for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    risky = [c for c in cells if isinstance(c.value, str) and looks_like_formula(c.value)]
    assert {f"{HYPERLINK} Toàn Đảng bộ có 84 TCCS đảng.", "'=cmd|'-C calc'!A0.txt"[1:]} <= {c.value for c in risky}
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)


def test_names_are_printed_with_control_characters_escaped() -> None:
    assert shown("báo cáo\x1b[2J.txt") == "báo cáo\\x1b[2J.txt"
    assert shown("tên\u202etxt.exe") == "tên\\u202etxt.exe"
    assert shown("Đảng bộ tỉnh Quảng Trị.pdf") == "Đảng bộ tỉnh Quảng Trị.pdf"
