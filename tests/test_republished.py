"""A republished copy is found by its prose, whatever banner the page had, and what it changed is
reported with both values and both sources; a figure whose period one document read from context
the other lacks is compared as the same figure, period uncertain."""

from __future__ import annotations

from pathlib import Path

from dev_docs import RULES, extract, text_doc

from baocao.audit import audit_frames, frames_from_extractions, run_audit
from baocao.audit.config import default_config
from baocao.audit.duplicates import content_of, text_signature
from baocao.resolve import resolve

KHOI = "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh Quảng Trị"
# The site's banner gives the founding date that "Từ khi thành lập đến nay" counts from, and the date.
BANNER = f"Trang thông tin điện tử {KHOI} (thành lập ngày 01/7/2019)\nThứ Tư, 03/07/2024 08:15\n\n"
ARTICLE = f"""Đảng bộ Khối kết nạp 520 đảng viên sau 5 năm

Từ khi thành lập đến nay, {KHOI} đã kết nạp được 520 đảng viên mới, thành lập mới 12 tổ chức cơ sở đảng trong các doanh nghiệp ngoài khu vực nhà nước.

Công tác phát triển đảng viên luôn được các cấp ủy quan tâm lãnh đạo, chỉ đạo thực hiện; các chi bộ chú trọng phát hiện, bồi dưỡng quần chúng ưu tú, nhất là đoàn viên thanh niên và người lao động trong các doanh nghiệp.

Thời gian tới, Đảng ủy Khối tiếp tục đổi mới nội dung, phương thức lãnh đạo, nâng cao chất lượng sinh hoạt chi bộ và chất lượng đội ngũ đảng viên, góp phần xây dựng Đảng bộ Khối trong sạch, vững mạnh.
"""
ORIGINAL = BANNER + ARTICLE
# Another site: the banner gone, the headline kept, one figure of the body changed.
COPY = ARTICLE.replace("520 đảng viên mới", "530 đảng viên mới")


def read(name: str, text: str):
    doc = text_doc(name, text)
    return doc, resolve(doc, extract(text), RULES)


def test_the_banner_gave_the_period_the_copy_cannot_read() -> None:
    (_, original), (_, copy) = read("goc.txt", ORIGINAL), read("dang_lai.txt", COPY)
    body = next(f for f in original.figures if f.quote.startswith("520 đảng viên mới"))
    assert (str(body.period_start), body.period_basis) == ("2019-07-01", "context")
    changed = next(f for f in copy.figures if f.quote.startswith("530"))
    assert changed.period_start is None and changed.period_end is None


def test_a_copy_without_the_banner_and_with_a_changed_figure_is_reported_with_both_sources() -> None:
    original, copy = read("goc.txt", ORIGINAL), read("dang_lai.txt", COPY)
    result = audit_frames(*frames_from_extractions([copy, original]))  # signatures made at load time, no texts
    assert result.duplicates == {copy[0].id: original[0].id}
    (differs,) = [f for f in result.findings if f.rule == "republished_differs"]
    assert differs.arithmetic == "530 ≠ 520"
    assert [(r.role, r.doc_name, r.quote, r.value) for r in differs.facts] == [
        ("original", "goc.txt", "520 đảng viên mới", 520), ("copy", "dang_lai.txt", "530 đảng viên mới", 530)]
    assert "dang_lai.txt" in differs.message_vi and "goc.txt" in differs.message_vi


def test_the_signature_reads_prose_not_banners_headlines_or_datelines() -> None:
    prose = content_of(ORIGINAL)
    assert "Trang thông tin" not in prose and "08:15" not in prose and "sau 5 năm" not in prose
    assert prose == content_of(ARTICLE)
    s = default_config().duplicates
    assert text_signature(ORIGINAL, s) == text_signature(ARTICLE, s)


def test_a_figure_whose_period_came_from_context_is_compared_as_period_uncertain() -> None:
    original = read("goc.txt", ORIGINAL)
    report = read("bao_cao.txt", (
        "Báo cáo sơ kết công tác xây dựng Đảng\n\n"
        f"Từ khi thành lập đến nay, {KHOI} đã kết nạp được 530 đảng viên mới. Các chi bộ trực thuộc đã tổ "
        "chức tốt việc sinh hoạt chuyên đề hằng tháng theo hướng dẫn của Ban Tổ chức Trung ương.\n"))
    result = audit_frames(*frames_from_extractions([original, report]))
    assert result.duplicates == {}
    (finding,) = [f for f in result.findings if f.rule == "cross_doc_conflict_period_uncertain"]
    assert finding.severity == "warning" and finding.arithmetic == "520 ≠ 530 (period uncertain)"
    assert {r.doc_name for r in finding.facts} == {"goc.txt", "bao_cao.txt"}
    assert "period uncertain" in finding.message_en and "chưa chắc về thời gian" in finding.message_vi
    assert "“goc.txt” reads its period from its context" in finding.message_en


def test_stated_periods_that_differ_are_different_figures(make_doc) -> None:
    import datetime as dt

    y2020 = {"subject": KHOI, "period_start": dt.date(2020, 1, 1), "period_end": dt.date(2020, 12, 31), "period_basis": "stated"}
    a = make_doc(f"Năm 2020, {KHOI} kết nạp 120 đảng viên.", "corpus/a.txt",
                 figures=[dict(quote="120 đảng viên", object="party_member", event="admitted", value=120, **y2020)])
    b = make_doc(f"{KHOI} kết nạp 150 đảng viên.", "corpus/b.txt",
                 figures=[{"quote": "150 đảng viên", "object": "party_member", "event": "admitted", "value": 150, "subject": KHOI}])
    result = audit_frames(*frames_from_extractions([a, b]))
    assert not [f for f in result.findings if f.rule.startswith("cross_doc")]


def test_signatures_are_stored_at_load_time_and_used_by_the_audit(store, tmp_path: Path) -> None:
    original, copy = read("goc.txt", ORIGINAL), read("dang_lai.txt", COPY)
    for doc, ex in (original, copy):
        store.load_document(doc, ex)
    rows = store.fetch_df("SELECT name, minhash_scheme, content_shingles, minhash FROM documents ORDER BY name")
    assert rows["content_shingles"].tolist() == [original[1].signature.shingles] * 2
    assert rows["minhash"].notna().all() and rows["minhash_scheme"].str.startswith("mh-").all()
    result = run_audit(store, html_path=tmp_path / "a.html", csv_path=tmp_path / "a.csv", texts={})
    assert result.duplicates == {copy[0].id: original[0].id}
    assert [f.rule for f in result.findings if f.rule == "republished_differs"] == ["republished_differs"]
