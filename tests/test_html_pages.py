"""A web page, saved as .html or as .txt, is read for its article: no tags, scripts, comments or menus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from dev_docs import RULES, extract

from baocao.ingest import read_document
from baocao.ingest.html import looks_like_html
from baocao.resolve import resolve

PAGE = Path(__file__).parent / "hostile" / "web_page.html"


@pytest.mark.parametrize("name", ["ket_nap.html", "ket_nap.txt", "ket_nap.htm"])
def test_a_saved_web_page_is_read_for_its_main_content(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    shutil.copy(PAGE, path)
    doc = read_document(path)
    assert doc.format == "html" and doc.encoding == "utf-8+html"
    assert doc.text.startswith("Kết nạp 141 đảng viên\n\n")
    assert "Đảng bộ Khối doanh nghiệp tỉnh có thêm 141 đảng viên mới được kết nạp" in doc.text
    for furniture in ("<", "script", "Trang chủ", "Tin mới", "55 đảng viên", "77 tổ chức", "Tổng lượt truy cập"):
        assert furniture not in doc.text


def test_a_script_or_comment_yields_no_phantom_figure(tmp_path: Path) -> None:
    path = tmp_path / "trang.txt"
    shutil.copy(PAGE, path)
    doc = read_document(path)
    values = sorted(f.value for f in resolve(doc, extract(doc.text), RULES).figures)
    assert 99 not in values and 55 not in values and 77 not in values
    assert {141, 32} <= set(values)


@pytest.mark.parametrize(
    "text",
    [
        "Báo cáo số 45-BC/ĐUK: năm 2023 kết nạp 141 đảng viên.\nGhi chú: thẻ <p> trong văn bản cũ.",
        "Toàn tỉnh có 4.989 đảng viên; tỷ lệ 3 < 5 và 7 > 2.",
    ],
)
def test_a_report_mentioning_a_tag_is_still_plain_text(text: str) -> None:
    assert not looks_like_html(text.encode())


def test_an_empty_page_is_rejected(tmp_path: Path) -> None:
    from baocao.ingest import IngestError

    path = tmp_path / "trong.html"
    path.write_text("<!doctype html><html><head><script>var n = 99;</script></head><body></body></html>")
    with pytest.raises(IngestError) as caught:
        read_document(path)
    assert caught.value.code == "no_text"
