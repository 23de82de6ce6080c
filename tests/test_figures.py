"""Figures read from real Vietnamese sentences (dev documents and typical report phrasing)."""

from dev_docs import extract


def figs(text):
    return [(f.object, f.event, f.value, f.qualifier, f.target) for f in extract(text).figures]


def test_breakdown_in_brackets_inherits_the_stock():
    text = "Hiện nay, Đảng bộ Khối có 84 TCCS đảng (46 Đảng bộ và 38 Chi bộ cơ sở) với 4.989 đảng viên."
    assert figs(text) == [
        ("party_org", "total", 84, "exact", False),
        ("party_committee", "total", 46, "exact", False),
        ("party_cell", "total", 38, "exact", False),
        ("party_member", "total", 4989, "exact", False),
    ]
    ex = extract(text)
    assert [f.parent for f in ex.figures] == [None, 0, 0, None]
    assert ex.figures[0].quote == "84 TCCS đảng"
    assert ex.figures[0].sentence == text


def test_qualifiers():
    assert figs("Hiện tại Quảng Trị có trên 4.000 doanh nghiệp.") == [("enterprise", "total", 4000, "more_than", False)]
    assert figs("có 81 tổ chức cơ sở đảng với gần 5.000 đảng viên.")[1] == ("party_member", "total", 5000, "approx", False)
    assert figs("mở lớp cho hơn 300 cán bộ, đảng viên trong Khối.") == [("trainee", "trained", 300, "more_than", False)]
    assert figs("Bình quân mỗi năm kết nạp 120 đảng viên.") == [("party_member", "admitted", 120, "average", False)]
    assert figs("Có dưới 10 đảng viên bị xử lý kỷ luật.") == [("party_member", "other", 10, "less_than", False)]


def test_targets_and_at_least():
    assert figs("Trong nhiệm kỳ phấn đấu kết nạp từ 700 đảng viên trở lên.") == [("party_member", "admitted", 700, "at_least", True)]
    assert figs("Năm 2018, Đảng bộ huyện phấn đấu kết nạp trên 290 đảng viên trở lên.") == [
        ("party_member", "admitted", 290, "more_than", True)]
    # an achievement against a plan is not itself a goal
    assert figs("kết nạp 352 đảng viên mới, đạt 140,8% kế hoạch năm.") == [("party_member", "admitted", 352, "exact", False)]


def test_events_from_cues():
    text = ("Trong năm, các cấp ủy đảng đã tiến hành kiểm tra 46 tổ chức đảng và 48 đảng viên, "
            "giám sát 45 tổ chức đảng và 44 đảng viên; qua đó thi hành kỷ luật 30 trường hợp.")
    assert figs(text) == [
        ("party_org", "inspected", 46, "exact", False),
        ("party_member", "inspected", 48, "exact", False),
        ("party_org", "supervised", 45, "exact", False),
        ("party_member", "supervised", 44, "exact", False),
    ]
    assert figs("Đoàn Khối đã kết nạp 250 đoàn viên mới và thành lập 4 chi đoàn.") == [
        ("youth_union_member", "admitted", 250, "exact", False),
        ("youth_union_org", "established", 4, "exact", False),
    ]
    assert figs("trao Thẻ đảng cho 17 đảng viên của Chi bộ.") == [("party_member", "other", 17, "exact", False)]


def test_persons_admitted_to_the_party_are_party_members():
    assert figs("Huyện ủy đã bồi dưỡng, kết nạp 113 quần chúng ưu tú vào Đảng.") == [
        ("party_member", "admitted", 113, "exact", False)]
    assert figs("15 đoàn viên ưu tú, thợ mỏ Hà Tu được vinh dự kết nạp vào Đảng.") == [
        ("party_member", "admitted", 15, "exact", False)]


def test_training():
    text = "Đảng ủy Khối đã tổ chức 4 lớp bồi dưỡng lý luận chính trị cho 235 đối tượng kết nạp Đảng và 63 đảng viên mới."
    assert figs(text) == [
        ("training_class", "trained", 4, "exact", False),
        ("trainee", "trained", 235, "exact", False),
        ("trainee", "trained", 63, "exact", False),
    ]


def test_union_members_follow_their_union():
    text = "có 137 tổ chức công đoàn với 62.103 đoàn viên, 07 tổ chức đoàn thanh niên với 543 đoàn viên."
    assert figs(text) == [
        ("trade_union_org", "total", 137, "exact", False),
        ("trade_union_member", "total", 62103, "exact", False),
        ("youth_union_org", "total", 7, "exact", False),
        ("youth_union_member", "total", 543, "exact", False),
    ]


def test_list_items_with_the_noun_left_out():
    text = ("Cụ thể: Đảng bộ TP.Tam Kỳ chỉ tiêu phát triển 150 đảng viên mới; Hội An 110; Điện Bàn 150; "
            "Công an 12; Biên phòng 15 và Đảng bộ Khối các cơ quan tỉnh chỉ tiêu phát triển 155 đảng viên mới.")
    assert [f[2] for f in figs(text)] == [150, 110, 150, 12, 15, 155]
    assert all(f[:2] == ("party_member", "admitted") and f[4] for f in figs(text))


def test_comrades_count_only_in_context():
    assert figs("Đại hội bầu 15 đồng chí vào Ban Chấp hành Đảng bộ khóa mới.") == []
    assert figs("kết nạp được 14 đồng chí (đạt 233,3%).") == [("party_member", "admitted", 14, "exact", False)]
    assert figs("nâng tổng số đảng viên của Đảng bộ huyện lên gần 2.500 đồng chí.") == [
        ("party_member", "total", 2500, "approx", False)]


def test_not_figures():
    assert figs("Dự đại hội có 150 đại biểu đại diện cho 1.000 đảng viên.") == [("party_member", "total", 1000, "exact", False)]
    assert figs("Năm 2021 có 95% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ.") == []
    assert figs("Doanh thu đạt 1.250 tỷ đồng, nộp ngân sách 120 tỷ đồng.") == []
    assert figs("Đang truy cập: 7\n\nHôm nay: 98\n\nTổng lượt truy cập: 273,217") == []
    assert figs("Thực hiện Nghị quyết Trung ương 4 khóa XII và 03 nghị quyết chuyên đề.") == []


def test_fractions():
    assert figs("có 48/66 tổ chức cơ sở đảng đạt trong sạch vững mạnh.") == [
        ("party_org", "other", 48, "exact", False), ("party_org", "total", 66, "exact", False)]
    # "11/95": 95 refers back to the admissions already stated
    text = "kết nạp được 95 đảng viên mới (118,75% kế hoạch), trong đó có 11/95 (11,58%) đảng viên trong doanh nghiệp."
    assert figs(text) == [("party_member", "admitted", 95, "exact", False), ("party_member", "admitted", 11, "exact", False)]


def test_hard_wrapped_report_lines():
    text = ("Trong năm 2021, toàn Đảng bộ Khối kết nạp được 95 đảng viên mới; mở 05 lớp bồi dưỡng nhận thức về Đảng cho 110 quần\n"
            "chúng ưu tú, trong đó có 13 quần chúng trong các doanh nghiệp ngoài khu vực\nNhà nước.")
    assert ("trainee", "trained", 110, "exact", False) in figs(text)
    assert ("trainee", "trained", 13, "exact", False) in figs(text)


def test_a_bracket_opened_after_a_figure_holds_its_parts_even_when_they_repeat_the_verb():
    text = ("Từ năm 2017 đến nay Đảng bộ Khối đã kết nạp được 373 đảng viên trong doanh nghiệp (doanh nghiệp có vốn "
            "Nhà nước chiếm từ 50% trở lên kết nạp được 258 đảng viên; doanh nghiệp ngoài nhà nước kết nạp được 115 đảng viên).")
    ex = extract(text)
    assert [(f.value, f.parent, f.segment) for f in ex.figures] == [
        (373, None, "enterprise"), (258, 0, "state_capital_enterprise>=50"), (115, 0, "non_state_enterprise")]


def test_a_bracket_after_a_new_name_is_a_new_item_not_a_part():
    text = ("Các Đảng bộ kết nạp được nhiều đảng viên là: Trường Cao đẳng Hải Dương (28 đảng viên), "
            "Công ty CP Kinh doanh nước sạch Hải Dương (21 đảng viên), Bệnh viện Phục hồi chức năng tỉnh (8 đảng viên).")
    ex = extract(text)
    assert [(f.value, f.parent, f.subject) for f in ex.figures] == [
        (28, None, "Trường Cao đẳng Hải Dương"), (21, None, "Công ty CP Kinh doanh nước sạch Hải Dương"),
        (8, None, "Bệnh viện Phục hồi chức năng tỉnh")]


def test_a_sentence_opening_with_cu_the_breaks_down_the_figure_before():
    text = ("Ban Thường vụ Tỉnh ủy giao chỉ tiêu phát triển 1.905 đảng viên mới trong năm 2024. Cụ thể: Đảng bộ "
            "TP.Tam Kỳ chỉ tiêu phát triển 150 đảng viên mới; Hội An 110 và Đảng bộ Khối các cơ quan tỉnh chỉ tiêu "
            "phát triển 155 đảng viên mới.")
    ex = extract(text)
    assert [(f.value, f.parent) for f in ex.figures] == [(1905, None), (150, 0), (110, 0), (155, 0)]
    assert [f.subject for f in ex.figures][2] == "Hội An"
    # a source tag in brackets at the start of an article's body is no breakdown
    ex = extract("Kết nạp 141 đảng viên\n\n(ĐN) - Từ đầu năm đến nay, Đảng bộ Khối có thêm 141 đảng viên mới được kết nạp.")
    assert [f.parent for f in ex.figures] == [None, None]


def test_times_zones_and_web_addresses_are_masked():
    from extractors import time_spans

    text = "Cập nhật lúc 10:30 GMT+7, 9:05:12 sáng; xem https://baocao.vn/45-dang-vien và www.dang.vn; tỷ lệ 1:2, mã a12:30"
    assert [text[s:e] for s, e in time_spans(text)] == ["10:30", "GMT+7", "9:05:12", "https://baocao.vn/45-dang-vien", "www.dang.vn;"]
    assert [f.value for f in extract("Xem https://baocao.vn/45 đảng viên mới của Đảng bộ huyện kết nạp 7 đảng viên.").figures] == [7]
