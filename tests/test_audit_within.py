"""The audit inside one document, on the real dev documents and on copies with one figure changed."""

from __future__ import annotations

import pytest
from dev_docs import DEV, KHOI, extract, needs_dev, text_doc

from baocao.audit import AuditResult, audit_frames, frames_from_extractions
from baocao.audit.config import default_config
from baocao.audit.facts import Fact, documents_from_frame, facts_from_frame
from baocao.audit.findings import sum_arithmetic
from baocao.audit.rules_within import exhaustive_evidence


def audit_texts(texts: dict[str, str]) -> AuditResult:
    """Extract each text with the real extractor and audit them together."""
    return audit_frames(*frames_from_extractions((text_doc(n, t), extract(t)) for n, t in texts.items()))


def dev_text(name: str) -> str:
    return (DEV / name).read_text(encoding="utf-8")


def changed(name: str, old: str, new: str) -> str:
    text = dev_text(name)
    assert text.count(old) >= 1, f"{old!r} is not in {name}"
    return text.replace(old, new, 1)


@pytest.fixture(scope="module")
def dev_result() -> AuditResult:
    return audit_texts({p.name: p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*.txt"))})


# --- the consistent documents, and the one real inconsistency -------------------


@needs_dev
def test_dev_documents_raise_no_error_but_p071(dev_result: AuditResult) -> None:
    errors = [f for f in dev_result.findings if f.severity == "error"]
    assert [(f.rule, f.facts[0].doc_name, f.arithmetic) for f in errors] == [
        ("breakdown_exceeds_total", "p071.txt", "18 + 7 = 25 ≠ 24")
    ]


@needs_dev
def test_p071_24_members_of_which_18_full_and_7_probationary_is_flagged(dev_result: AuditResult) -> None:
    (finding,) = [f for f in dev_result.findings if f.rule == "breakdown_exceeds_total" and f.severity == "error"]
    assert finding.message_vi == "Các phần cộng lại (25) vượt tổng số 24 đảng viên."
    assert finding.message_en == "The parts add up to 25, more than the stated total of 24 party members."
    whole, *parts = finding.facts
    assert (whole.role, whole.quote, whole.value) == ("whole", "24 đảng viên", 24)
    assert [(p.role, p.quote) for p in parts] == [("part", "18 đảng viên chính thức"), ("part", "7 đảng viên dự bị")]
    sentence = "Đến nay, chi bộ công ty đã phát triển được tổng cộng 24 đảng viên, trong đó có 18 đảng viên chính thức và 7 đảng viên dự bị."
    assert whole.sentence == sentence
    assert sentence[whole.quote_offset : whole.quote_offset + len(whole.quote)] == "24 đảng viên"
    assert whole.doc_name == "p071.txt" and whole.page == 1 and whole.end - whole.start == len("24 đảng viên")


@needs_dev
def test_p072_the_targets_listed_after_cu_the_exceed_the_provincial_target(dev_result: AuditResult) -> None:
    # "giao chỉ tiêu … phát triển 1.905 đảng viên mới trong năm 2024. Cụ thể: Đảng bộ TP.Tam Kỳ … 150 …;
    # Hội An 110; … Biên phòng 15 và Đảng bộ Khối các cơ quan tỉnh … 155": the 22 units add up to 1.950.
    (finding,) = [f for f in dev_result.findings if f.facts[0].doc_name == "p072.txt"]
    assert (finding.rule, finding.severity) == ("breakdown_exceeds_total", "warning")
    assert finding.arithmetic.endswith("+ 12 + 29 + 15 + 155 = 1950 ≠ 1905")
    assert [r.quote for r in finding.facts][:3] == ["1.905 đảng viên mới", "150 đảng viên mới", "Hội An 110"]


# --- copies with one figure changed --------------------------------------------------


@needs_dev
def test_47_dang_bo_and_38_chi_bo_do_not_make_84_tccs() -> None:
    result = audit_texts({"000_changed.txt": changed("000_fecd69e2d4926bf8.txt", "46 Đảng bộ", "47 Đảng bộ")})
    (finding,) = [f for f in result.findings if f.severity == "error"]
    assert finding.rule == "breakdown_exceeds_total"
    assert finding.arithmetic == "47 + 38 = 85 ≠ 84"
    assert [r.quote for r in finding.facts] == ["84 TCCS đảng", "47 Đảng bộ", "38 Chi bộ cơ sở"]


@needs_dev
def test_the_original_46_dang_bo_add_up() -> None:
    result = audit_texts({"000.txt": dev_text("000_fecd69e2d4926bf8.txt")})
    assert result.count_at_least("error") == 0


@needs_dev
def test_11_of_95_is_not_15_58_percent() -> None:
    assert audit_texts({"003.txt": dev_text("003_a8b278771690ab33.txt")}).findings == []
    result = audit_texts({"003_changed.txt": changed("003_a8b278771690ab33.txt", "(11,58%)", "(15,58%)")})
    (finding,) = result.findings
    assert (finding.rule, finding.severity) == ("percent_mismatch", "error")
    assert finding.arithmetic == "100 × 11 / 95 = 11.58% ≠ 15,58%"
    assert finding.facts[0].quote == "11/95 (15,58%) đảng viên"


@needs_dev
def test_35_599_of_35_900_is_99_16_percent_not_89_16() -> None:
    assert audit_texts({"p020.txt": dev_text("p020.txt")}).findings == []
    result = audit_texts({"p020_changed.txt": changed("p020.txt", "99,16%", "89,16%")})
    assert [f.rule for f in result.findings] == ["percent_mismatch"]


@needs_dev
def test_percent_of_plan_is_checked_against_the_plan_stated_in_the_document() -> None:
    # "kết nạp 113 quần chúng ưu tú vào Đảng, đạt trên 38,1% so với kế hoạch" … "phấn đấu kết nạp trên 290 đảng viên":
    # 113 / 38,1% ≈ 297, which is "trên 290".
    assert audit_texts({"p066.txt": dev_text("p066.txt")}).findings == []
    result = audit_texts({"p066_changed.txt": changed("p066.txt", "38,1%", "58,1%")})
    (finding,) = result.findings
    assert (finding.rule, finding.severity) == ("plan_mismatch", "warning")
    assert [r.quote for r in finding.facts] == ["113 quần chúng ưu tú", "trên 290 đảng viên"]
    assert finding.arithmetic == "100 × 113 / 58.1% = 194.49 ≠ >290"


# --- which breakdowns must add up --------------------------------------------------------


def facts_of(make_doc, text: str, figures: list[dict]) -> list[Fact]:
    figures_df, documents_df = frames_from_extractions([make_doc(text, "corpus/x.txt", figures=figures)])
    return facts_from_frame(figures_df, documents_from_frame(documents_df))


P071 = "Đến nay, chi bộ công ty đã phát triển được tổng cộng 24 đảng viên, trong đó có 18 đảng viên chính thức và 7 đảng viên dự bị."
P037 = (
    "Trong 5 năm, Đảng bộ đã phát triển được 1.071 đảng viên mới, trong đó có 14 đảng viên là chủ doanh nghiệp, "
    "299 đảng viên là công nhân lao động."
)
KHOI_2024 = "Hiện nay, Đảng bộ Khối có 84 TCCS đảng (46 Đảng bộ và 38 Chi bộ cơ sở) với 4.989 đảng viên."


def test_chinh_thuc_and_du_bi_are_complementary(make_doc) -> None:
    members = {"object": "party_member", "event": "total"}
    whole, *parts = facts_of(make_doc, P071, [
        dict(quote="24 đảng viên", value=24, **members),
        dict(quote="18 đảng viên chính thức", value=18, parent=0, **members),
        dict(quote="7 đảng viên dự bị", value=7, parent=0, **members),
    ])
    why = exhaustive_evidence(whole, parts, default_config())
    assert why is not None and (why.kind, why.detail) == ("complement", "chính thức / dự bị")


def test_dang_bo_and_chi_bo_partition_the_tccs(make_doc) -> None:
    whole, *parts = facts_of(make_doc, KHOI_2024, [
        {"quote": "84 TCCS đảng", "object": "party_org", "event": "total", "value": 84},
        {"quote": "46 Đảng bộ", "object": "party_committee", "event": "total", "value": 46, "parent": 0},
        {"quote": "38 Chi bộ cơ sở", "object": "party_cell", "event": "total", "value": 38, "parent": 0},
    ])
    assert exhaustive_evidence(whole, parts, default_config()).kind == "object_partition"


def test_trong_do_announces_a_subset_that_need_not_add_up(make_doc) -> None:
    admitted = {"object": "party_member", "event": "admitted"}
    figures = [
        dict(quote="1.071 đảng viên mới", value=1071, **admitted),
        dict(quote="14 đảng viên", value=14, parent=0, **admitted),
        dict(quote="299 đảng viên", value=299, parent=0, **admitted),
    ]
    whole, *parts = facts_of(make_doc, P037, figures)
    assert exhaustive_evidence(whole, parts, default_config()) is None
    figures_df, documents_df = frames_from_extractions([make_doc(P037, "corpus/p037.txt", figures=figures)])
    assert audit_frames(figures_df, documents_df).findings == []


def test_parts_that_look_complete_but_fall_short_are_flagged(make_doc) -> None:
    text = "Chi bộ có 30 đảng viên, gồm 18 đảng viên chính thức và 7 đảng viên dự bị."
    members = {"object": "party_member", "event": "total", "subject": "Chi bộ Công ty Minh Anh"}
    figures_df, documents_df = frames_from_extractions([make_doc(text, "corpus/short.txt", figures=[
        dict(quote="30 đảng viên", value=30, **members),
        dict(quote="18 đảng viên chính thức", value=18, parent=0, **members),
        dict(quote="7 đảng viên dự bị", value=7, parent=0, **members),
    ])])
    (finding,) = audit_frames(figures_df, documents_df).findings
    assert (finding.rule, finding.severity, finding.arithmetic) == ("breakdown_short_of_total", "error", "18 + 7 = 25 ≠ 30")
    assert "chính thức / dự bị" in finding.message_vi


def test_a_part_larger_than_its_whole(make_doc) -> None:
    text = "Đảng bộ đã phát triển được 15 đảng viên mới, trong đó có 21 đảng viên là chủ doanh nghiệp."
    admitted = {"object": "party_member", "event": "admitted"}
    figures_df, documents_df = frames_from_extractions([make_doc(text, "corpus/part.txt", figures=[
        dict(quote="15 đảng viên mới", value=15, **admitted),
        dict(quote="21 đảng viên", value=21, parent=0, **admitted),
    ])])
    (finding,) = audit_frames(figures_df, documents_df).findings
    assert (finding.rule, finding.severity, finding.arithmetic) == ("part_exceeds_whole", "error", "21 > 15")


def test_members_linked_to_organizations_are_not_added_to_them(make_doc) -> None:
    figures_df, documents_df = frames_from_extractions([make_doc(KHOI_2024, "corpus/k.txt", figures=[
        {"quote": "84 TCCS đảng", "object": "party_org", "event": "total", "value": 84},
        {"quote": "46 Đảng bộ", "object": "party_committee", "event": "total", "value": 46, "parent": 0},
        {"quote": "38 Chi bộ cơ sở", "object": "party_cell", "event": "total", "value": 38, "parent": 0},
        {"quote": "4.989 đảng viên", "object": "party_member", "event": "total", "value": 4989, "parent": 0},
    ])])
    assert audit_frames(figures_df, documents_df).findings == []


def test_arithmetic_is_spelled_out(make_doc) -> None:
    whole, *parts = facts_of(make_doc, KHOI_2024, [
        {"quote": "84 TCCS đảng", "object": "party_org", "event": "total", "value": 84},
        {"quote": "46 Đảng bộ", "object": "party_committee", "event": "total", "value": 46, "parent": 0},
        {"quote": "38 Chi bộ cơ sở", "object": "party_cell", "event": "total", "value": 38, "parent": 0},
    ])
    assert sum_arithmetic(parts, whole, ok=True) == "46 + 38 = 84 = 84 ✓"


def test_passed_breakdowns_can_be_reported_as_info(make_doc) -> None:
    cfg = default_config().model_copy(update={"emit_passed_checks": True})
    figures_df, documents_df = frames_from_extractions([make_doc(KHOI_2024, "corpus/k.txt", figures=[
        {"quote": "84 TCCS đảng", "object": "party_org", "event": "total", "value": 84},
        {"quote": "46 Đảng bộ", "object": "party_committee", "event": "total", "value": 46, "parent": 0},
        {"quote": "38 Chi bộ cơ sở", "object": "party_cell", "event": "total", "value": 38, "parent": 0},
    ])])
    (finding,) = audit_frames(figures_df, documents_df, config=cfg).findings
    assert (finding.rule, finding.severity, finding.arithmetic) == ("breakdown_ok", "info", "46 + 38 = 84 = 84 ✓")


# --- the same figure stated twice -----------------------------------------------------------

KHOI_RESTATED = (
    "Hiện nay, Đảng bộ Khối có 84 TCCS đảng (46 Đảng bộ và 38 Chi bộ cơ sở) với 4.989 đảng viên. "
    "Trong 85 TCCS đảng có 23 TCCS đảng doanh nghiệp với 1.546 đảng viên."
)


def restated_doc(make_doc, second: float, qualifier: str = "exact", period: bool = True):
    import datetime as dt

    when = {"period_start": dt.date(2024, 7, 3), "period_end": dt.date(2024, 7, 3)} if period else {}
    orgs = dict(object="party_org", event="total", subject=KHOI, **when)
    quote = f"{'gần ' if qualifier == 'approx' else ''}{second:g} TCCS đảng"
    text = KHOI_RESTATED.replace("Trong 85 TCCS đảng", f"Trong {quote}")
    return make_doc(text, "corpus/restated.txt", figures=[
        dict(quote="84 TCCS đảng", value=84, **orgs),
        dict(quote=quote, value=second, qualifier=qualifier, **orgs),
    ])


def test_the_same_figure_stated_twice_with_different_values(make_doc) -> None:
    (finding,) = audit_frames(*frames_from_extractions([restated_doc(make_doc, 85)])).findings
    assert (finding.rule, finding.severity, finding.arithmetic) == ("restated_value", "error", "84 ≠ 85")
    assert [r.quote for r in finding.facts] == ["84 TCCS đảng", "85 TCCS đảng"]
    assert finding.subject == KHOI


def test_a_restatement_without_a_period_is_a_warning(make_doc) -> None:
    (finding,) = audit_frames(*frames_from_extractions([restated_doc(make_doc, 85, period=False)])).findings
    assert finding.severity == "warning"


def test_restating_the_same_value_or_an_approximation_of_it_is_fine(make_doc) -> None:
    assert audit_frames(*frames_from_extractions([restated_doc(make_doc, 84)])).findings == []
    assert audit_frames(*frames_from_extractions([restated_doc(make_doc, 85, "approx")])).findings == []


def test_figures_listed_in_one_sentence_are_not_restatements(make_doc) -> None:
    text = "Các đơn vị kết nạp được nhiều đảng viên là: Trường Cao đẳng (28 đảng viên), Công ty nước sạch (21 đảng viên)."
    admitted = {"object": "party_member", "event": "admitted", "subject": KHOI}
    figures_df, documents_df = frames_from_extractions([make_doc(text, "corpus/list.txt", figures=[
        dict(quote="28 đảng viên", value=28, **admitted),
        dict(quote="21 đảng viên", value=21, **admitted),
    ])])
    assert audit_frames(figures_df, documents_df).findings == []


def test_a_later_count_of_the_same_kind_in_a_sentence_is_no_restatement(make_doc) -> None:
    # p011: "139 đảng viên, vượt chỉ tiêu 9 đảng viên" — the 9 is the excess over the plan
    import datetime as dt

    text = "Từ đầu năm đến nay, Đảng bộ Khối các cơ quan tỉnh kết nạp được 139 đảng viên, vượt chỉ tiêu 9 đảng viên."
    admitted = {"object": "party_member", "event": "admitted", "subject": "Đảng bộ Khối các cơ quan tỉnh",
                    "period_start": dt.date(2022, 1, 1), "period_end": dt.date(2022, 11, 29)}
    figures_df, documents_df = frames_from_extractions([make_doc(text, "corpus/p011.txt", figures=[
        dict(quote="139 đảng viên", value=139, **admitted),
        dict(quote="9 đảng viên", value=9, occurrence=0, **admitted),
    ])])
    assert audit_frames(figures_df, documents_df).findings == []
