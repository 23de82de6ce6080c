"""The audit across documents: conflicts, qualifiers, series, intakes and kinds of organizations.

The records quote the real sentences of dev documents 000_… and 004_…, both about the
Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh Quảng Trị; subject and period are set by hand.
"""

from __future__ import annotations

import datetime as dt

import pytest

from baocao.audit import AuditResult, audit_frames, frames_from_extractions
from baocao.audit.config import default_config
from schemas.records import DocumentInfo

KHOI = "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh Quảng Trị"
QUANG_TRI = DocumentInfo(province="Quảng Trị", province_2025="Quảng Trị")

TEXT_000 = (  # 000_fecd69e2d4926bf8.txt
    "Hiện nay, Đảng bộ Khối có 84 TCCS đảng (46 Đảng bộ và 38 Chi bộ cơ sở) với 4.989 đảng viên. "
    "Hiện tại Quảng Trị có trên 4.000 doanh nghiệp."
)
TEXT_004 = (  # 004_ef3136a2c2e638be.txt
    "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh Quảng Trị (Đảng bộ Khối) được thành lập ngày 1/7/2019 trên cơ "
    "sở hợp nhất Đảng bộ Khối các Cơ quan tỉnh và Đảng bộ Khối Doanh nghiệp tỉnh, có 81 tổ chức cơ sở đảng "
    "với gần 5.000 đảng viên."
)
YEAR_2020 = {"period_start": dt.date(2020, 1, 1), "period_end": dt.date(2020, 12, 31)}
YEAR_2024 = {"period_start": dt.date(2024, 1, 1), "period_end": dt.date(2024, 12, 31)}


def audit(*pairs) -> AuditResult:
    return audit_frames(*frames_from_extractions(pairs))


def doc_000(make_doc, period: dict, subject: str | None = KHOI, **info):
    who = dict(subject=subject, **period)
    return make_doc(TEXT_000, "corpus/000.txt", info=QUANG_TRI.model_copy(update=info), figures=[
        dict(quote="84 TCCS đảng", object="party_org", event="total", value=84, **who),
        dict(quote="46 Đảng bộ", object="party_committee", event="total", value=46, parent=0, **who),
        dict(quote="38 Chi bộ cơ sở", object="party_cell", event="total", value=38, parent=0, **who),
        dict(quote="4.989 đảng viên", object="party_member", event="total", value=4989, **who),
    ])


def doc_004(make_doc, period: dict, subject: str | None = KHOI, **info):
    who = dict(subject=subject, **period)
    return make_doc(TEXT_004, "corpus/004.txt", info=QUANG_TRI.model_copy(update=info), figures=[
        dict(quote="81 tổ chức cơ sở đảng", object="party_org", event="total", value=81, **who),
        dict(quote="gần 5.000 đảng viên", object="party_member", event="total", value=5000, qualifier="approx", **who),
    ])


def test_same_organization_same_period_different_count_is_a_conflict(make_doc) -> None:
    result = audit(doc_000(make_doc, YEAR_2024), doc_004(make_doc, YEAR_2024))
    (finding,) = result.findings
    assert (finding.rule, finding.severity) == ("cross_doc_conflict", "error")
    assert (finding.subject, finding.province, finding.object) == (KHOI, "Quảng Trị", "party_org")
    assert finding.arithmetic == "84 ≠ 81"
    assert [(r.doc_name, r.quote) for r in finding.facts] == [("000.txt", "84 TCCS đảng"), ("004.txt", "81 tổ chức cơ sở đảng")]
    assert len(finding.doc_ids) == 2
    assert "năm 2024" in finding.message_vi and "in 2024" in finding.message_en


def test_gan_5000_agrees_with_4989(make_doc) -> None:
    result = audit(doc_000(make_doc, YEAR_2024), doc_004(make_doc, YEAR_2024))
    assert not [f for f in result.findings if f.object == "party_member"]


def test_different_periods_are_no_conflict(make_doc) -> None:
    assert audit(doc_000(make_doc, YEAR_2024), doc_004(make_doc, YEAR_2020)).findings == []


def test_undated_statements_years_apart_are_not_compared(make_doc) -> None:
    old = doc_004(make_doc, {}, doc_date=dt.date(2020, 8, 23))
    assert audit(doc_000(make_doc, {}, doc_date=dt.date(2024, 7, 3)), old).findings == []
    # … while undated statements of documents of the same year are, as a warning
    close = doc_004(make_doc, {}, doc_date=dt.date(2024, 9, 1))
    (finding,) = audit(doc_000(make_doc, {}, doc_date=dt.date(2024, 7, 3)), close).findings
    assert (finding.rule, finding.severity) == ("cross_doc_conflict", "warning")


@pytest.mark.parametrize(
    ("qualifier", "stated", "other", "agree"),
    [
        ("approx", 5000, 4989, True),  # gần 5.000 / 4.989
        ("more_than", 4000, 4120, True),  # trên 4.000 / 4.120
        ("at_least", 700, 731, True),  # từ 700 … trở lên / 731
        ("more_than", 4000, 3900, False),
        ("approx", 5000, 4500, False),
        ("exact", 84, 81, False),
    ],
)
def test_qualifiers_are_respected(make_doc, qualifier: str, stated: float, other: float, agree: bool) -> None:
    common = dict(object="enterprise", event="total", subject=KHOI, **YEAR_2024)
    a = make_doc("Hiện tại Quảng Trị có trên 4.000 doanh nghiệp.", "corpus/a.txt", info=QUANG_TRI,
                 figures=[dict(quote="trên 4.000 doanh nghiệp", value=stated, qualifier=qualifier, **common)])
    b = make_doc("Toàn tỉnh có 4.120 doanh nghiệp đang hoạt động.", "corpus/b.txt", info=QUANG_TRI,
                 figures=[dict(quote="4.120 doanh nghiệp", value=other, **common)])
    assert (audit(a, b).findings == []) is agree


def test_tolerances_are_data() -> None:
    cfg = default_config()
    assert cfg.interval(5000, "approx")[0] <= 4989
    assert cfg.interval(4000, "more_than") == (4000, 5000)
    tight = cfg.model_copy(update={"tolerances": {**cfg.tolerances, "approx": cfg.tolerances["exact"]}})
    assert tight.interval(5000, "approx") == (5000, 5000)


def test_a_config_file_changes_the_tolerances(tmp_path, make_doc) -> None:
    import json

    from baocao.audit.config import CONFIG_PATH, load_config

    data = json.loads(CONFIG_PATH.read_text(encoding="utf-8"))
    data["tolerances"]["approx"] = {"below_rel": 0.0, "above_rel": 0.0, "abs_min": 0}
    path = tmp_path / "strict.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    strict = load_config(path)
    pair = (doc_000(make_doc, YEAR_2024), doc_004(make_doc, YEAR_2024))
    rules = sorted((f.rule, f.object) for f in audit_frames(*frames_from_extractions(pair), config=strict).findings)
    assert rules == [("cross_doc_conflict", "party_member"), ("cross_doc_conflict", "party_org")]  # 4.989 is not "gần 5.000" now


def test_without_subject_province_and_period_stand_in(make_doc) -> None:
    result = audit(doc_000(make_doc, YEAR_2024, subject=None), doc_004(make_doc, YEAR_2024, subject=None))
    (finding,) = result.findings
    assert (finding.rule, finding.severity) == ("cross_doc_conflict", "warning")


def test_without_subject_and_period_nothing_is_compared(make_doc) -> None:
    assert audit(doc_000(make_doc, {}, subject=None), doc_004(make_doc, {}, subject=None)).findings == []


def test_without_province_nothing_is_compared(make_doc) -> None:
    no_province = {"province": None, "province_2025": None}
    a = doc_000(make_doc, YEAR_2024, subject=None, **no_province)
    b = doc_004(make_doc, YEAR_2024, subject=None, **no_province)
    assert audit(a, b).findings == []


def test_a_generic_subject_is_compared_only_within_a_province(make_doc) -> None:
    generic = "Đảng bộ Khối các cơ quan tỉnh"
    a = doc_000(make_doc, YEAR_2024, subject=generic)
    b = doc_004(make_doc, YEAR_2024, subject=generic, province="Hải Dương", province_2025="Hải Phòng")
    assert audit(a, b).findings == []
    b_same_province = doc_004(make_doc, YEAR_2024, subject=generic)
    assert [f.rule for f in audit(a, b_same_province).findings] == ["cross_doc_conflict"]
    bare = doc_004(make_doc, YEAR_2024, subject="Đảng bộ")
    assert audit(doc_000(make_doc, YEAR_2024, subject="Đảng bộ"), bare).findings == []


def members(make_doc, path: str, value: float, period: dict, event: str = "total", quote: str | None = None):
    quote = quote or f"{value:g} đảng viên"
    text = f"Đảng bộ Khối có {quote}."
    return make_doc(text, path, info=QUANG_TRI, figures=[
        dict(quote=quote, object="party_member", event=event, value=value, subject=KHOI, **period)
    ])


def test_a_membership_that_triples_in_a_year_is_a_jump(make_doc) -> None:
    result = audit(members(make_doc, "corpus/2020.txt", 1650, YEAR_2020), members(make_doc, "corpus/2024.txt", 4989, YEAR_2024))
    (finding,) = result.findings
    assert (finding.rule, finding.severity) == ("series_jump", "warning")
    assert finding.arithmetic == "1650 → 4989: ×3.02 > ×2"
    assert [r.role for r in finding.facts] == ["earlier", "later"]


def test_a_steady_membership_is_no_jump(make_doc) -> None:
    result = audit(members(make_doc, "corpus/2020.txt", 4800, YEAR_2020), members(make_doc, "corpus/2024.txt", 4989, YEAR_2024))
    assert result.findings == []


def test_more_admitted_than_members_at_the_end_of_the_period(make_doc) -> None:
    admitted = members(make_doc, "corpus/adm.txt", 5200, YEAR_2024, event="admitted", quote="5.200 đảng viên mới")
    total = members(make_doc, "corpus/tot.txt", 4989, YEAR_2024)
    (finding,) = audit(admitted, total).findings
    assert (finding.rule, finding.severity, finding.arithmetic) == ("admitted_exceeds_members", "error", "5200 > 4989")
    fine = members(make_doc, "corpus/adm.txt", 373, YEAR_2024, event="admitted", quote="373 đảng viên mới")
    assert audit(fine, total).findings == []


def test_more_party_cells_than_party_organizations(make_doc) -> None:
    cells = make_doc("Đảng bộ Khối có 90 chi bộ cơ sở.", "corpus/cells.txt", info=QUANG_TRI, figures=[
        dict(quote="90 chi bộ cơ sở", object="party_cell", event="total", value=90, subject=KHOI, **YEAR_2024)
    ])
    (finding,) = audit(cells, doc_000(make_doc, YEAR_2024)).findings
    assert (finding.rule, finding.severity, finding.arithmetic) == ("kind_exceeds_total", "error", "90 > 84")
