"""Document symbols and dates as Vietnamese documents write them."""

import datetime as dt

import pytest
from dev_docs import extract

from extractors.doc_refs import canonical_ref


@pytest.mark.parametrize(
    ("raw", "canon"),
    [("1405- QĐ/TU", "1405-QĐ/TU"), ("03- NQ/TU", "3-NQ/TU"), ("98/2014/NĐ-CP", "98/2014/NĐ-CP"),
     ("71/NQ-HDND", "71/NQ-HDND"), ("Số 57--NQ/TW", "57-NQ/TW"), ("08-HD/BTCTW", "8-HD/BTCTW")],
)
def test_canonical_ref(raw, canon):
    assert canonical_ref(raw) == canon


def refs(text):
    return [(r.ref, r.doc_type, r.issued) for r in extract(text).doc_refs]


def test_type_word_from_text_or_code():
    assert refs("theo Quyết định số 1405- QĐ/TU ngày 26/6/2019 của Ban Chấp hành") == [
        ("1405-QĐ/TU", "Quyết định", dt.date(2019, 6, 26))]
    assert refs("Quy định số 342- QĐ/TW của Bộ chính trị") == [("342-QĐ/TW", "Quy định", None)]
    assert refs("Nghị quyết chuyên đề số 01-NQ/ĐUK, ngày 15/11/2013 về phát triển") == [
        ("1-NQ/ĐUK", "Nghị quyết", dt.date(2013, 11, 15))]
    assert refs("    Số 57--NQ/TW\n") == [("57-NQ/TW", "Nghị quyết", None)]
    assert refs("Nghị định số 98/2014/NĐ-CP") == [("98/2014/NĐ-CP", "Nghị định", None)]


def test_issued_date_written_before_the_reference():
    text = "ngày 20/11/2014, Ban Thường vụ Tỉnh ủy Quảng Trị ban hành Nghị quyết số 03-NQ/TU về củng cố"
    assert refs(text) == [("3-NQ/TU", "Nghị quyết", dt.date(2014, 11, 20))]


def test_a_reference_cited_twice_keeps_its_date():
    text = "Thực hiện Nghị quyết 04-NQ/ĐUK, ngày 22/01/2021 của Ban Chấp hành. Sau đó, Nghị quyết 04-NQ/ĐUK được sơ kết."
    assert [r[2] for r in refs(text)] == [dt.date(2021, 1, 22)] * 2


def dates(text):
    return [d.date.isoformat() for d in extract(text).dates]


def test_date_forms():
    assert dates("ngày 26/6/2019") == ["2019-06-26"]
    assert dates("Ngày 9-3-2012, Đảng uỷ Khối") == ["2012-03-09"]
    assert dates("ngày 20 tháng 11 năm 2014") == ["2014-11-20"]
    assert dates("Thứ tư, 03/07/2024") == ["2024-07-03"]
    assert dates("(17/7/2019 - 17/7/2024)") == ["2019-07-17", "2024-07-17"]
    assert dates("(30/10/1963-30/10/2023)") == ["1963-10-30", "2023-10-30"]


def test_month_year_and_symbols_are_not_dates():
    assert dates("trong tháng 7/2023 và năm 2024") == []
    assert dates("Nghị định số 98/2014/NĐ-CP") == []
    assert dates("ngày 31/2/2020") == []


def test_shortened_range_gives_the_written_date_and_the_implied_one():
    assert dates("Trong thời gian 5 ngày (từ 5 đến 9-3-2012)") == ["2012-03-09", "2012-03-05"]
    assert dates("từ 3-4/7/2022") == ["2022-07-04", "2022-07-03"]


def test_document_date_lines():
    assert extract("Kết nạp 141 đảng viên\n\nCập nhật lúc 10:29, Thứ Hai, 27/08/2018 (GMT+7)\n\nTừ đầu năm").info.doc_date == dt.date(2018, 8, 27)
    banner = "Thứ tư 08/05/2024 22:37 24h qua English RSS\nHotline: 094 540 6866\n\nTiêu đề bài\n\n10:37 | 22/10/2023\n\nNội dung."
    assert extract(banner).info.doc_date == dt.date(2023, 10, 22)
    assert extract(" date 2025-09-28 Sáng 30/7, tại huyện Châu Đức").info.doc_date == dt.date(2025, 9, 28)
    assert extract("Thái Nguyên, ngày 15 tháng 10 năm 2021\n\nQUYẾT ĐỊNH").info.doc_date == dt.date(2021, 10, 15)
    # a date in the running text is not the document's own date
    assert extract("Ngày 03/5/2012, Ban Tổ chức phối hợp cùng các Ban Xây dựng Đảng tiến hành họp xét hồ sơ.").info.doc_date is None
