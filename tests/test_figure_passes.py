"""Each pass of the figure reader, as statements about Vietnamese text (quotes from the dev
documents, and report phrasing written for these tests)."""

import json

import pytest
from dev_docs import RULES, copy_data, extract

from extractors import extract as extract_with
from extractors.figure_candidate import FigureCandidate
from extractors.figures import PASSES, read_figures
from extractors.rules import load_rules
from extractors.sentences import split_sentences


def figs(text, rules=RULES):
    return [(f.object, f.event, f.value) for f in extract_with(text, rules).figures]


def read(text) -> list[FigureCandidate]:
    return read_figures(text, split_sentences(text), [], RULES.figures, RULES.words, RULES.numbers)


def one(text) -> FigureCandidate:
    (c,) = read(text)
    return c


# --- the reader is its passes ---------------------------------------------------------


def test_the_passes_run_in_a_fixed_order():
    assert [name for name, _ in PASSES] == ["counted", "event", "detail", "object", "qualifier", "target", "breakdown",
                                            "confidence"]


def test_each_decision_says_which_rule_read_which_words():
    c = one("Năm 2023, Huyện ủy kết nạp 135 quần chúng ưu tú vào Đảng.")
    assert (c.object, c.event) == ("party_member", "admitted")
    assert c.decisions["noun"].evidence == "quần chúng ưu tú"
    assert c.decisions["event"].rule == "right_cue" and c.decisions["event"].evidence == "vào Đảng"
    assert c.decisions["object"].rule == "table"  # a trainee admitted is a party member
    f = extract("Năm 2023, Huyện ủy kết nạp 135 quần chúng ưu tú vào Đảng.").figures[0]
    assert f.decided_by.startswith("noun=words(quần chúng ưu tú) event=right_cue(vào Đảng)")


# --- counted noun -----------------------------------------------------------------------


def test_common_and_defined_abbreviations_count_like_their_nouns():
    assert figs("Đảng bộ quận Cái Răng kết nạp 115 ĐV, đạt 104,5%.") == [("party_member", "admitted", 115)]
    text = "Việc thành lập tổ chức Đảng (TCĐ) trong DN FDI còn khó; hiện mới có 2 DN thành lập được TCĐ, với 59 đảng viên."
    c = read(text)
    assert [(x.object, x.event, x.number.value) for x in c] == [("enterprise", "total", 2), ("party_member", "total", 59)]
    # "CBCS" is no common abbreviation: it counts once the document has defined it
    assert figs("Năm nay thành lập 3 CBCS mới.") == []
    assert figs("Huyện có 57 chi bộ cơ sở (CBCS). Năm nay thành lập 3 CBCS mới.") == [
        ("party_cell", "total", 57), ("party_cell", "established", 3)]


def test_a_number_in_a_name_or_a_year_is_no_count():
    assert figs("Chi bộ 1, Chi bộ 3 và Chi bộ 5 đã tổ chức lễ kết nạp 6 đảng viên mới.") == [("party_member", "admitted", 6)]
    assert figs("Trong năm 2019 Đảng ủy đã lãnh đạo tốt.") == []
    assert figs("Xây dựng mô hình “Chi bộ 4 tốt” ở 20 chi bộ.") == [("party_cell", "total", 20)]
    assert figs("Năm học vừa qua, 12 em học sinh đã được kết nạp vào Đảng, đều là học sinh lớp 12.") == [
        ("party_member", "admitted", 12)]


def test_a_coordinated_noun_stops_before_a_name():
    text = "Cụ thể: Đảng bộ phường Hòa Hiệp Bắc 4 Chi bộ và Đảng bộ phường Hòa Minh 1 Chi bộ."
    assert [(c.object, c.number.value, c.noun.phrase) for c in read(text)] == [("party_cell", 4, "Chi bộ"), ("party_cell", 1, "Chi bộ")]


def test_a_phrase_underthesea_cuts_differently_is_still_read():
    # underthesea reads "cảm | tình đảng" here, unlike every pattern
    assert figs("Toàn tỉnh đã mở được 26 lớp nhận thức về Đảng cho 2.489 cảm tình đảng.") == [
        ("training_class", "trained", 26), ("trainee", "trained", 2489)]


def test_the_noun_before_the_number_or_left_out():
    text = ("Đến ngày 27/3, toàn tỉnh có 159/1447 tổ chức cơ sở đảng đã đại hội xong (trong đó đảng bộ cơ sở 85/779 = 10,9%, "
            "chi bộ cơ sở 74/668 = 11,1%).")
    assert figs(text) == [("party_org", "other", 159), ("party_org", "total", 1447), ("party_committee", "other", 85),
                          ("party_committee", "total", 779), ("party_cell", "other", 74), ("party_cell", "total", 668)]
    assert figs("Đã thi hành kỷ luật 41 đảng viên, gồm khiển trách 26, cảnh cáo 11, cách chức 1 và khai trừ 3 đảng viên.") == [
        ("party_member", "other", 41), ("party_member", "other", 26), ("party_member", "other", 11),
        ("party_member", "other", 1), ("party_member", "other", 3)]
    assert figs("Số doanh nghiệp có tổ chức đảng là 83 trong tổng số hơn 1.500 doanh nghiệp.") == [
        ("enterprise", "total", 83), ("enterprise", "total", 1500)]


def test_a_label_list_under_its_total():
    text = ("1. Tổng số tổ chức cơ sở đảng: 46 (22 đảng bộ cơ sở, 24 chi bộ cơ sở).\n2. Kết quả xếp loại:\n"
            "- Hoàn thành xuất sắc nhiệm vụ: 9/46, chiếm 19,57%.\n- Hoàn thành tốt nhiệm vụ: 33/46, chiếm 71,74%.")
    assert figs(text) == [("party_org", "total", 46), ("party_committee", "total", 22), ("party_cell", "total", 24),
                          ("party_org", "other", 9), ("party_org", "other", 33)]


def test_number_words_that_are_also_other_words():
    text = "Lễ trao Huy hiệu Đảng cho 13 đảng viên, gồm: một đồng chí nhận Huy hiệu 55 năm, năm đồng chí nhận Huy hiệu 30 năm."
    assert figs(text) == [("party_member", "other", 13), ("party_member", "other", 1), ("party_member", "other", 5)]
    assert figs("Hằng năm đảng viên đều được đánh giá.") == []
    assert figs("Một đảng viên tiêu biểu đã phát biểu.") == []  # "a member", not a count


# --- event ------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    # badges
    ("Ban Thường vụ Tỉnh ủy quyết định tặng Huy hiệu Đảng cho 197 đảng viên.", ("party_member", "other", 197)),
    ("Có 56 đảng viên được trao Huy hiệu 30 năm tuổi đảng.", ("party_member", "other", 56)),
    ("Trong số đó có 44 đảng viên 30 năm tuổi Đảng.", ("party_member", "other", 44)),
    ("Cũng trong đợt này, 3 đảng viên được Tổng Bí thư tặng Huy hiệu 80 năm tuổi Đảng.", ("party_member", "other", 3)),
    # ratings
    ("Đảng ủy có 5 chi bộ hoàn thành xuất sắc nhiệm vụ.", ("party_cell", "other", 5)),
    ("Kết quả có 21/28 tổ chức cơ sở đảng đạt trong sạch vững mạnh.", ("party_org", "other", 21)),
    ("Tổng số 287 chi bộ trực thuộc; trong đó: hoàn thành tốt nhiệm vụ 211 chi bộ.", ("party_cell", "other", 211)),
    # discipline
    ("Cấp ủy các cấp đã thi hành kỷ luật 127 đảng viên.", ("party_member", "other", 127)),
    ("Ban Thường vụ Tỉnh ủy kỷ luật bằng hình thức khiển trách đối với 1 tổ chức Đảng.", ("party_org", "other", 1)),
    # official membership, transfers
    ("Đảng bộ huyện đã chuyển Đảng chính thức cho 79 đồng chí.", ("party_member", "other", 79)),
    ("Dịp này, 3 đảng viên dự bị được trao quyết định công nhận đảng viên chính thức.", ("party_member", "other", 3)),
    ("Đảng bộ đã tiếp nhận 73 đảng viên từ nơi khác chuyển đến.", ("party_member", "other", 73)),
    # congresses
    ("Đến nay đã có 309/1.301 CĐCS tổ chức đại hội.", ("trade_union_org", "other", 309)),
    ("Đảng bộ có 62/64 chi bộ trực thuộc các đảng bộ cơ sở tiến hành đại hội.", ("party_cell", "other", 62)),
    # introductions
    ("Toàn huyện giới thiệu được 67 đoàn viên ưu tú cho cấp ủy Đảng.", ("youth_union_member", "other", 67)),
    ("Khối trường học đã có 5 đoàn viên ưu tú giới thiệu cho Đảng.", ("youth_union_member", "other", 5)),
    # inspection and supervision
    ("UBKT huyện đã kiểm tra khi có dấu hiệu vi phạm đối với 3 đảng viên.", ("party_member", "inspected", 3)),
    ("Cấp ủy đã giám sát chuyên đề đối với 447 tổ chức đảng.", ("party_org", "supervised", 447)),
    # a new total reached
    ("Toàn huyện kết nạp 50 đảng viên, nâng tổng số đảng viên lên 4.871 đồng chí.", ("party_member", "total", 4871)),
])
def test_events_as_the_party_statistics_name_them(text, expected):
    assert expected in figs(text)


def test_a_preposition_after_a_verb_is_no_link():
    text = "UBKT các cấp đã kiểm tra đối với 19 đảng viên và 1 tổ chức đảng; tiến hành giám sát đối với 5 đảng viên."
    assert figs(text) == [("party_member", "inspected", 19), ("party_org", "inspected", 1), ("party_member", "supervised", 5)]
    assert figs("UBKT các cấp giám sát với 169 tổ chức đảng và 395 đảng viên.") == [
        ("party_org", "supervised", 169), ("party_member", "supervised", 395)]


def test_a_circumstance_does_not_decide():
    assert figs("Qua kiểm tra, kết luận 50 đảng viên có vi phạm.") == [("party_member", "other", 50)]
    assert figs("Khi thành lập, Đảng bộ Khối bao gồm 31 đảng bộ trực thuộc.") == [("party_committee", "total", 31)]


def test_the_verb_before_a_nominalizer_governs():
    text = "UBKT đã kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát và thi hành kỷ luật Đảng 160 tổ chức cơ sở Đảng."
    assert figs(text) == [("party_org", "inspected", 160)]


def test_a_possessor_is_a_stock():
    text = "Hội nghị đã nghe báo cáo đề nghị xếp loại chất lượng của 12 chi, đảng bộ trực thuộc (11 đảng bộ, 1 chi bộ)."
    assert figs(text) == [("party_org", "total", 12), ("party_committee", "total", 11), ("party_cell", "total", 1)]


def test_a_verb_keeps_the_words_that_follow_it():
    assert figs("Toàn Đảng bộ Tập đoàn đã kết nạp tổng số 39 đảng viên mới.") == [("party_member", "admitted", 39)]


def test_a_breakdown_continues_what_its_whole_is():
    text = "Năm 2023, huyện kết nạp 135 quần chúng ưu tú vào Đảng.\n\nTrong đó, có 70 đảng viên người dân tộc thiểu số."
    assert figs(text) == [("party_member", "admitted", 135), ("party_member", "admitted", 70)]
    text = "Toàn tỉnh đã kết nạp 4.106 đảng viên. Trong số đảng viên mới, có 2.837 đoàn viên thanh niên."
    assert figs(text)[1] == ("party_member", "admitted", 2837)  # persons among party members are party members


def test_a_list_opened_by_trong_do_continues_its_figure():
    text = "Phấn đấu kết nạp từ 160 đảng viên trở lên, trong đó:\n- Khối xã, phường: 96 đảng viên;\n- Khối doanh nghiệp: ít nhất 22 đảng viên."
    ex = extract(text)
    assert [(f.object, f.event, f.value, f.target, f.parent) for f in ex.figures] == [
        ("party_member", "admitted", 160, True, None), ("party_member", "admitted", 96, True, 0),
        ("party_member", "admitted", 22, True, 0)]


def test_a_title_says_what_the_body_says():
    text = "Giồng Trôm phát triển đảng viên mới\n\n* Có 9 đảng viên là học sinh thpt\n\nHuyện ủy đã phát triển được 9 đảng viên là học sinh."
    assert figs(text) == [("party_member", "admitted", 9), ("party_member", "admitted", 9)]


# --- object -----------------------------------------------------------------------------


def test_comrades_people_and_organizations_take_the_kind_the_context_counts():
    assert figs("Trong đợt này, có 24 đồng chí nhận Huy hiệu 75 năm tuổi Đảng.") == [("party_member", "other", 24)]
    assert figs("Từ phong trào, đã có gần 30.000 người được kết nạp Đảng.") == [("party_member", "admitted", 30000)]
    text = "Trên địa bàn tỉnh có 1.454 tổ chức cơ sở Đảng; so với 6 tháng đầu năm 2019 (1.564 tổ chức), đã giảm."
    ex = extract(text)
    assert [(f.object, f.event, f.value, f.parent) for f in ex.figures] == [
        ("party_org", "total", 1454, None), ("party_org", "total", 1564, None)]  # a number of then, not a part
    assert figs("Đại hội đã bầu Ban Chấp hành Đảng bộ xã khóa XIII gồm 15 đồng chí.") == []  # elected, not counted


def test_members_of_the_union_named_last():
    text = "Có 137 tổ chức công đoàn với 62.103 đoàn viên, 07 tổ chức đoàn thanh niên với 543 đoàn viên."
    assert [f[0] for f in figs(text)] == ["trade_union_org", "trade_union_member", "youth_union_org", "youth_union_member"]
    assert figs("Từ phong trào, các cấp CĐ đã giới thiệu 130.000 đoàn viên ưu tú.") == [("trade_union_member", "other", 130000)]


def test_what_organizations_and_enterprises_did_is_no_admission():
    assert figs("Có 356/541 tổ chức cơ sở đảng kết nạp được đảng viên mới.")[0] == ("party_org", "other", 356)
    assert figs("Toàn tỉnh có 1.026 doanh nghiệp đã thành lập được tổ chức Công đoàn cơ sở.") == [("enterprise", "total", 1026)]


# --- qualifier and target ---------------------------------------------------------------


def test_plans():
    text = ("Theo Đề án, sau sáp nhập vẫn giữ tên cũ. Sẽ chuyển giao 22 tổ chức đảng và 999 đảng viên về Đảng bộ Dân Chính Đảng; "
            "chuyển 27 tổ chức cơ sở Đảng và 502 đảng viên về Thành ủy Cà Mau.")
    assert [f.target for f in extract(text).figures] == [True, True, True, True]
    text = "Toàn Đảng bộ kết nạp 1.689 đảng viên, đạt 105,56% kế hoạch (kế hoạch 1.600)."
    assert [(f.event, f.value, f.target) for f in extract(text).figures] == [("admitted", 1689, False), ("admitted", 1600, True)]
    text = "Kết nạp mới 75 đảng viên, đạt 101% chỉ tiêu, nâng tổng số đảng viên toàn huyện lên 1.796 đồng chí."
    assert [f.target for f in extract(text).figures] == [False, False]


# --- breakdown --------------------------------------------------------------------------


def test_units_below_the_grassroots_are_not_kinds_of_grassroots_organizations():
    text = "Toàn tỉnh có 438 tổ chức cơ sở đảng; trong đó có 167 đảng bộ cơ sở và 271 chi bộ cơ sở, 1.716 chi bộ trực thuộc đảng bộ cơ sở."
    ex = extract(text)
    assert [(f.value, f.parent, f.segment) for f in ex.figures] == [
        (438, None, None), (167, 0, None), (271, 0, None), (1716, None, "below_grassroots")]


def test_a_change_against_an_earlier_period_is_no_part():
    text = "Cấp ủy đã kiểm tra 450 tổ chức đảng và 206 đảng viên (tăng 230 tổ chức so với cùng kỳ)."
    ex = extract(text)
    assert [(f.value, f.detail, f.parent) for f in ex.figures][2] == (230, "change", None)


# --- detail -----------------------------------------------------------------------------


@pytest.mark.parametrize("text, detail", [
    ("Có 24 đồng chí nhận Huy hiệu 75 năm tuổi Đảng.", "badge_75_years"),
    ("Có 144 đảng viên 70 năm và 75 năm tuổi Đảng được nhận huy hiệu.", "badge"),
    ("Đảng ủy có 5 chi bộ hoàn thành xuất sắc nhiệm vụ.", "rating_excellent"),
    ("Có 4 tổ chức cơ sở đảng đạt trong sạch vững mạnh tiêu biểu.", "rating_clean_strong_exemplary"),
    ("Kỷ luật bằng hình thức cảnh cáo 1 tổ chức đảng.", "discipline_warning"),
    ("Đảng ủy đã chuyển Đảng chính thức cho 54 đảng viên.", "official_membership"),
    ("Đã có 88 Công đoàn cơ sở tổ chức Đại hội.", "congress_held"),
    ("Có 04 đảng bộ cấp trên cơ sở được chọn làm đại hội điểm.", "congress_pilot"),
    ("UBKT đã kiểm tra khi có dấu hiệu vi phạm đối với 8 tổ chức Đảng.", "inspection_violation"),
    ("Cấp ủy các cấp đã giám sát chuyên đề 317 tổ chức đảng.", "supervision_thematic"),
    ("Toàn huyện giới thiệu 67 đoàn viên ưu tú cho Đảng.", "introduced_to_party"),
])
def test_the_detail_of_an_other_or_inspected_figure(text, detail):
    assert extract(text).figures[0].detail == detail


def test_a_plain_count_has_no_detail():
    assert extract("Đảng bộ có 69 tổ chức cơ sở đảng.").figures[0].detail is None


# --- confidence -------------------------------------------------------------------------


def test_the_figures_a_reviewer_should_see_are_the_low_confidence_ones():
    ex = extract("Năm qua, Đảng bộ kết nạp 45 đảng viên mới. Toàn Đảng bộ quản lý 5.076 đảng viên.")
    sure, unsure = ex.figures
    assert sure.confidence == 1.0
    # no verb of the taxonomy and no stock word: a stock by default, which the audit cannot vouch for
    assert (unsure.event, unsure.confidence) == ("total", 0.4) and "event=default" in unsure.decided_by


# --- knowledge is data ------------------------------------------------------------------


def test_an_event_word_added_to_the_data_changes_the_output(tmp_path):
    text = "Nhân dịp này, Đảng ủy vinh danh 12 đảng viên tiêu biểu."
    assert figs(text) == [("party_member", "total", 12)]  # the shipped rules know no "vinh danh"
    data = copy_data(tmp_path)
    cues = json.loads((data / "figure_cues.json").read_text(encoding="utf-8"))
    cues["events_left"]["other"].append("vinh danh")
    (data / "figure_cues.json").write_text(json.dumps(cues, ensure_ascii=False), encoding="utf-8")
    assert figs(text, load_rules(data)) == [("party_member", "other", 12)]


def test_a_row_of_the_decision_table_is_data(tmp_path):
    text = "Huyện đã mở 3 lớp bồi dưỡng cho 120 học viên."
    assert figs(text) == [("training_class", "trained", 3), ("trainee", "trained", 120)]
    data = copy_data(tmp_path)
    objects = json.loads((data / "figure_objects.json").read_text(encoding="utf-8"))
    objects["resolve"].insert(0, {"when": {"object": "trainee"}, "drop": "trainees are counted elsewhere"})
    (data / "figure_objects.json").write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    assert figs(text, load_rules(data)) == [("training_class", "trained", 3)]


def test_a_phrase_regex_is_the_same_whatever_the_order_and_case_of_its_phrases():
    from extractors.cues import alternation

    a = alternation(["Đảng viên", "đảng viên mới", "đảng viên dự bị"])
    assert a == alternation(["đảng viên dự bị", "đảng viên mới", "Đảng viên"])
    import re

    # one branch per word without case: "Đảng viên" cannot stop "đảng viên mới" short
    assert re.search(a, "có 12 đảng viên mới", re.IGNORECASE).group(0) == "đảng viên mới"


def test_the_rules_fingerprint_follows_the_data(tmp_path):
    data = copy_data(tmp_path)
    assert load_rules(data).fingerprint == RULES.fingerprint
    (data / "details.json").write_text((data / "details.json").read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert load_rules(data).fingerprint != RULES.fingerprint


def test_a_phrase_regex_starts_each_branch_with_a_letter_and_keeps_its_boundaries():
    """The left boundary is checked after a phrase's first letter (so the engine can skip to the
    places holding a first letter): a phrase still starts a word and ends one."""
    import re
    from re import _compiler, _parser

    from extractors.cues import alternation

    pattern = alternation(["chỉ tiêu", "phấn đấu", "kế hoạch đề ra", "(trong đó"])
    assert _compiler._get_charset_prefix(_parser.parse(pattern, 0), 0)  # every branch starts with a letter
    rx = re.compile(pattern)
    assert [m.group(0) for m in rx.finditer("chỉ tiêu; phấn đấu, xchỉ tiêu, chỉ tiêux, (chỉ tiêu), 2chỉ tiêu")] == \
        ["chỉ tiêu", "phấn đấu", "chỉ tiêu"]
    # a phrase opening with a bracket: no word character right before it either
    assert [m.group(0) for m in rx.finditer("x (trong đó, x(trong đó")] == ["(trong đó"]
    assert [m.group(0) for m in rx.finditer("Chỉ tiêu")] == []
    assert [m.group(0) for m in re.finditer(pattern, "CHỈ TIÊU đề ra", re.IGNORECASE)] == ["CHỈ TIÊU"]


def test_the_name_before_a_bracket_must_end_in_one(tmp_path):
    """depth.py tries the shape only where the text before a number ends in "(": a data file that
    drops the bracket from it is refused, not silently never matched."""
    data = copy_data(tmp_path)
    cues = json.loads((data / "figure_cues.json").read_text(encoding="utf-8"))
    cues["patterns"]["named_before_bracket"] = r"([A-ZĐ][^\s(),;:]*)\s*$"
    (data / "figure_cues.json").write_text(json.dumps(cues, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="named_before_bracket"):
        load_rules(data)


def test_no_phrases_match_nothing():
    import re

    from extractors.cues import alternation

    assert re.search(alternation([]), "có 12 đảng viên, ") is None  # an empty cue list matches nowhere
    assert [m.group(0) for m in re.finditer(alternation(["", "  ", "chi bộ"]), "x, chi bộ")] == ["chi bộ"]


def test_the_lower_case_patterns_are_found_by_their_first_letters_and_refuse_a_capital(tmp_path):
    """topic and result_before are matched over the lower-cased text: each starts with a letter
    (Python's re then looks for it), and one written with a capital, which lower-cased text could
    never match, is refused at load."""
    from re import _compiler, _parser

    cues = json.loads((copy_data(tmp_path) / "figure_cues.json").read_text(encoding="utf-8"))
    for name in cues["lower_case_patterns"]:
        pattern = RULES.figures.folded[name].lower.pattern
        assert _compiler._get_charset_prefix(_parser.parse(pattern, 0), 0), name
    # the same reading as the words in any case
    assert [(t.object, t.event) for t in extract("Tổng Số Đảng viên mới được kết nạp là 45 đồng chí.").figures[:1]] == \
        [(t.object, t.event) for t in extract("tổng số đảng viên mới được kết nạp là 45 đồng chí.").figures[:1]]
    assert extract("Sáp nhập 8 tổ chức cơ sở đảng THÀNH 4.").figures[1].object == "party_org"
    data = copy_data(tmp_path / "bad")
    cues["patterns"]["result_before"] = r"(?:Thành|còn)\s+$"
    (data / "figure_cues.json").write_text(json.dumps(cues, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="result_before"):
        load_rules(data)
