"""Province gazetteer: data invariants and matching on real Vietnamese sentences."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from dev_docs import RULES

from extractors.gazetteer import PlaceMention

mentions = RULES.gazetteer.mentions
canonical = RULES.gazetteer.canonical
province_2025 = RULES.gazetteer.province_2025

DATA = Path(__file__).resolve().parents[1] / "extractors" / "data"


def provinces_of(text: str) -> list[str]:
    return [m.province for m in mentions(text)]


def only_province(text: str) -> str | None:
    found = set(provinces_of(text))
    assert len(found) <= 1, (text, found)
    return next(iter(found), None)


# --- data ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def provinces() -> dict:
    return json.loads((DATA / "provinces.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def merger() -> dict:
    return json.loads((DATA / "province_merger_2025.json").read_text(encoding="utf-8"))


def test_63_provinces_with_unique_names_and_nfc(provinces):
    names = [p["name"] for p in provinces["provinces"]]
    assert len(names) == 63 == len(set(names))
    assert sum(p["type"] == "thành phố" for p in provinces["provinces"]) == 5
    for name in [
        "Quảng Trị",
        "Lâm Đồng",
        "Thành phố Hồ Chí Minh",
        "Hà Nội",
        "Bà Rịa - Vũng Tàu",
        "Thừa Thiên Huế",
        "Đắk Lắk",
        "Đắk Nông",
        "Kon Tum",
        "Hòa Bình",
    ]:
        assert name in names
    raw = (DATA / "provinces.json").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", raw)


def test_every_province_has_its_districts(provinces):
    admin = {"thành phố", "thị xã", "quận", "huyện"}
    counts = {p["name"]: sum(pl["type"] in admin for pl in p["places"]) for p in provinces["provinces"]}
    assert all(n >= 5 for n in counts.values()), counts
    assert counts["Hà Nội"] == 30
    assert counts["Quảng Trị"] == 10
    assert counts["Thanh Hóa"] == 28  # 27 in 2024, plus Tĩnh Gia (Nghi Sơn from 2020)
    assert 705 <= sum(counts.values()) <= 730
    by_name = {p["name"]: {pl["name"]: pl["type"] for pl in p["places"]} for p in provinces["provinces"]}
    assert by_name["Bà Rịa - Vũng Tàu"]["Châu Đức"] == "huyện"
    assert by_name["Quảng Trị"]["Đông Hà"] == "thành phố"
    assert by_name["Đồng Nai"]["Long Khánh"] == "thành phố"


def test_merger_2025_is_63_to_34(provinces, merger):
    names = {p["name"] for p in provinces["provinces"]}
    succ = merger["successors"]
    assert merger["source"] == "Nghị quyết 202/2025/QH15"
    assert len(succ) == 63 and set(succ) == names
    assert len(set(succ.values())) == 34
    assert set(succ.values()) <= names
    unchanged = [k for k, v in succ.items() if k == v and list(succ.values()).count(v) == 1]
    assert len(unchanged) == 11


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Quảng Trị", "Quảng Trị"),
        ("Quảng Bình", "Quảng Trị"),
        ("Lâm Đồng", "Lâm Đồng"),
        ("Đắk Nông", "Lâm Đồng"),
        ("Bình Thuận", "Lâm Đồng"),
        ("Bình Dương", "Thành phố Hồ Chí Minh"),
        ("Bà Rịa - Vũng Tàu", "Thành phố Hồ Chí Minh"),
        ("Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        ("Hải Dương", "Hải Phòng"),
        ("Bắc Giang", "Bắc Ninh"),
        ("Kon Tum", "Quảng Ngãi"),
        ("Quảng Nam", "Đà Nẵng"),
        ("Nghệ An", "Nghệ An"),
        ("Hà Giang", "Tuyên Quang"),
        ("Hòa Bình", "Phú Thọ"),
        ("Nam Định", "Ninh Bình"),
        ("Bình Định", "Gia Lai"),
        ("Phú Yên", "Đắk Lắk"),
        ("Bình Phước", "Đồng Nai"),
        ("Long An", "Tây Ninh"),
        ("Sóc Trăng", "Cần Thơ"),
        ("Trà Vinh", "Vĩnh Long"),
        ("Tiền Giang", "Đồng Tháp"),
        ("Bạc Liêu", "Cà Mau"),
        ("Kiên Giang", "An Giang"),
        ("Thừa Thiên Huế", "Thừa Thiên Huế"),
    ],
)
def test_province_2025(old, new):
    assert province_2025(old) == new


def test_province_2025_accepts_variants():
    assert province_2025("tỉnh Đăk Nông") == "Lâm Đồng"
    assert province_2025("TP.HCM") == "Thành phố Hồ Chí Minh"
    assert province_2025("BR-VT") == "Thành phố Hồ Chí Minh"
    assert province_2025("Hoà Bình") == "Phú Thọ"
    assert province_2025("Châu Đức") is None  # districts are not provinces
    assert province_2025("Atlantis") is None


# --- canonical ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("tỉnh Quảng Trị", "Quảng Trị"),
        ("Quảng Trị", "Quảng Trị"),
        ("QUẢNG TRỊ", "Quảng Trị"),
        ("TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        ("TP.HCM", "Thành phố Hồ Chí Minh"),
        ("thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        ("Hoà Bình", "Hòa Bình"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("Đăk Lăk", "Đắk Lắk"),
        ("Daklak", "Đắk Lắk"),
        ("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("BR-VT", "Bà Rịa - Vũng Tàu"),
        ("Thừa Thiên - Huế", "Thừa Thiên Huế"),
        ("TP Cần Thơ", "Cần Thơ"),
        ("thành phố Đà Nẵng", "Đà Nẵng"),
        ("Bắc Cạn", "Bắc Kạn"),
        ("Kontum", "Kon Tum"),
        (unicodedata.normalize("NFD", "Lâm Đồng"), "Lâm Đồng"),
        ("\u00d0ắk Nông", "Đắk Nông"),  # Icelandic eth from a bad font
        ("Châu Thành", None),
        ("Trị", None),
        ("", None),
    ],
)
def test_canonical(name, expected):
    assert canonical(name) == expected


# --- mentions: sentences from reports and provincial news ---------------------------------


@pytest.mark.parametrize(
    ("text", "province"),
    [
        ("Sáng 30/7, tại huyện Châu Đức, Đảng ủy Khối Cơ quan và Doanh nghiệp tổ chức hội nghị", "Bà Rịa - Vũng Tàu"),
        ("Đảng bộ TP.Long Khánh phát triển 29 đảng viên", "Đồng Nai"),
        ("Đảng bộ huyện Đăk Glei (Kon Tum) tổ chức lễ kết nạp đảng viên", "Kon Tum"),
        ("Huyện ủy Lục Ngạn ban hành Nghị quyết chuyên đề", "Bắc Giang"),
        ("Huyện ủy Đại Lộc tổ chức Hội nghị sơ kết", "Quảng Nam"),
        ("Đảng bộ xã Lát, huyện Lạc Dương, tỉnh Lâm Đồng", "Lâm Đồng"),
        ("Tỉnh có 01 Khu kinh tế Cửa khẩu Hoa Lư với 25 doanh nghiệp, 200 lao động.", "Bình Phước"),
        ("phối hợp với Trung tâm Bồi dưỡng chính trị Thành phố Đông Hà mở lớp", "Quảng Trị"),
        ("Hiệp hội Hoa Đà Lạt có 5 tổ chức đảng", "Lâm Đồng"),
        ("tại Trung tâm hội nghị tỉnh Hậu Giang", "Hậu Giang"),
        ("Đảng bộ Khối Cơ quan Dân Chính Đảng TP Cần Thơ", "Cần Thơ"),
        ("Thái Nguyên, ngày 15 tháng 10 năm 2021", "Thái Nguyên"),
        ("phối hợp với Trường Chính trị Lê Duẩn tổ chức lớp bồi dưỡng", "Quảng Trị"),
        ("các doanh nghiệp trong Khu công nghiệp Nam Đông Hà", "Quảng Trị"),
        ("Ban Quản lý Khu kinh tế Dung Quất", "Quảng Ngãi"),
        ("dự án tại Khu kinh tế Vũng Áng", "Hà Tĩnh"),
        ("Công ty Than Hà Tu đạt sản lượng", "Quảng Ninh"),
        ("Đảng bộ Tp. Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        ("doanh nghiệp tại TP.HCM và các tỉnh lân cận", "Thành phố Hồ Chí Minh"),
        ("Tỉnh ủy Hoà Bình", "Hòa Bình"),
        ("Tỉnh ủy Hòa Bình", "Hòa Bình"),
        ("Đảng bộ tỉnh Thừa Thiên - Huế", "Thừa Thiên Huế"),
        ("Đảng bộ tỉnh Thừa Thiên Huế", "Thừa Thiên Huế"),
        ("Thị ủy Hương Thủy", "Thừa Thiên Huế"),
        ("Đảng bộ tỉnh Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("BAN CHẤP HÀNH ĐẢNG BỘ TỈNH QUẢNG TRỊ", "Quảng Trị"),
        ("Huyện ủy Krông Pắc", "Đắk Lắk"),
        ("Huyện ủy Ia H’Drai", "Kon Tum"),
        ("Huyện ủy Đắk R’lấp", "Đắk Nông"),
        ("Huyện ủy Cư M’gar", "Đắk Lắk"),
        ("Quận ủy Quận 10", "Thành phố Hồ Chí Minh"),
        ("thành phố Thủ Đức", "Thành phố Hồ Chí Minh"),
        ("huyện Quảng Ninh, tỉnh Quảng Bình", "Quảng Bình"),
        ("Quảng Ninh đứng đầu bảng xếp hạng PCI", "Quảng Ninh"),
        ("thành phố Vinh", "Nghệ An"),
        ("TP.Vinh", "Nghệ An"),
        ("huyện Thống Nhất", "Đồng Nai"),
        ("Phan Rang - Tháp Chàm", "Ninh Thuận"),
        ("huyện Phú Quý", "Bình Thuận"),
        ("huyện Phú Quí", "Bình Thuận"),
        ("Huyện ủy Mù Cang Chải", "Yên Bái"),
        ("Huyện ủy Long Điền", "Bà Rịa - Vũng Tàu"),  # merged into Long Đất in 2025, still in 2019-2024 texts
        ("Quận 9 cũ", "Thành phố Hồ Chí Minh"),
        ("huyện Cát Tiên", "Lâm Đồng"),
        ("Khu kinh tế cửa khẩu Thanh Thủy", "Hà Giang"),
        ("Khu công nghiệp Đồng Văn", "Hà Nam"),  # not the Đồng Văn district of Hà Giang
        ("Khu công nghiệp Yên Bình", "Thái Nguyên"),  # not the Yên Bình district of Yên Bái
    ],
)
def test_mentions_pick_the_province(text, province):
    assert only_province(text) == province


def test_two_places_in_one_sentence():
    found = mentions("TP Thủ Dầu Một, tỉnh Bình Dương")
    assert [(m.surface, m.province, m.kind) for m in found] == [
        ("Thủ Dầu Một", "Bình Dương", "district"),
        ("Bình Dương", "Bình Dương", "province"),
    ]
    found = mentions("huyện Hải Hậu, tỉnh Nam Định")
    assert [(m.surface, m.province, m.kind, m.qualified) for m in found] == [
        ("Hải Hậu", "Nam Định", "district", True),
        ("Nam Định", "Nam Định", "province", True),
    ]


def test_mention_fields_and_offsets():
    text = "Sáng 30/7, tại huyện Châu Đức, Đảng ủy Khối…"
    [m] = mentions(text)
    assert isinstance(m, PlaceMention)
    assert (m.surface, m.province, m.kind, m.qualified) == ("Châu Đức", "Bà Rịa - Vũng Tàu", "district", True)
    assert text[m.start : m.end] == "Châu Đức"
    with pytest.raises(AttributeError):
        m.province = "Đồng Nai"  # type: ignore[misc]


def test_offsets_index_the_raw_text_even_when_decomposed():
    text = unicodedata.normalize("NFD", "Đoàn công tác của tỉnh Quảng Trị làm việc tại huyện Hướng Hóa")
    found = mentions(text)
    assert [m.province for m in found] == ["Quảng Trị", "Quảng Trị"]
    for m in found:
        assert text[m.start : m.end] == m.surface
    assert unicodedata.normalize("NFC", found[1].surface) == "Hướng Hóa"


def test_old_tone_spelling_keeps_offsets():
    text = "Tỉnh ủy Khánh Hoà và Tỉnh ủy Thanh Hoá"
    found = mentions(text)
    assert [(m.surface, m.province) for m in found] == [("Khánh Hoà", "Khánh Hòa"), ("Thanh Hoá", "Thanh Hóa")]


def test_qualified():
    assert [m.qualified for m in mentions("tỉnh Quảng Trị")] == [True]
    assert [m.qualified for m in mentions("Tỉnh ủy Quảng Trị")] == [True]
    assert [m.qualified for m in mentions("Hiện tại Quảng Trị có trên 4.000 doanh nghiệp")] == [False]
    assert [m.qualified for m in mentions("Đông Hà")] == [False]
    assert [m.qualified for m in mentions("TX. Quảng Trị")] == [True]
    [m, _] = mentions("Đăk Glei (Kon Tum)")
    assert m.qualified and m.province == "Kon Tum"
    assert [m.qualified for m in mentions("Khu kinh tế Cửa khẩu Hoa Lư")] == [False]


def test_longest_match_wins():
    assert [m.surface for m in mentions("huyện Châu Thành A")] == ["Châu Thành A"]
    assert only_province("huyện Châu Thành A") == "Hậu Giang"
    assert [m.surface for m in mentions("Điện Biên Đông")] == ["Điện Biên Đông"]
    assert [m.surface for m in mentions("Bà Rịa - Vũng Tàu")] == ["Bà Rịa - Vũng Tàu"]


def test_whole_words_only():
    assert mentions("Trị") == []
    assert mentions("Quảng Trịnh") == []
    assert mentions("xLong An") == []
    assert [m.surface for m in mentions("Quận 1 và Quận 10")] == ["Quận 1", "Quận 10"]


def test_ambiguous_district_alone_gives_no_province():
    g = RULES.gazetteer
    assert g.ambiguous["châu thành"] >= {"Tây Ninh", "Long An", "Tiền Giang", "Bến Tre", "An Giang"}
    assert g.ambiguous["phong điền"] == {"Thừa Thiên Huế", "Cần Thơ"}
    assert g.ambiguous["tân uyên"] == {"Bình Dương", "Lai Châu"}
    for text in [
        "Huyện ủy Châu Thành tổ chức đại hội",
        "huyện Phong Điền",
        "Sơn Tây",
        "Chợ Mới",
        "Hoàng Mai",
        "huyện Bảo Lâm",
        "huyện An Lão",
        "cửa khẩu Thanh Thủy",
    ]:
        assert mentions(text) == [], text


def test_ambiguous_district_pinned_by_province_nearby():
    assert only_province("huyện Châu Thành, tỉnh Long An") == "Long An"
    assert only_province("Đảng bộ huyện Châu Thành (Tây Ninh)") == "Tây Ninh"
    assert only_province("huyện Phong Điền, thành phố Cần Thơ") == "Cần Thơ"
    [m, _] = mentions("huyện Phú Tân, tỉnh Cà Mau")
    assert (m.surface, m.province, m.qualified) == ("Phú Tân", "Cà Mau", True)
    # the type word alone can settle it
    assert only_province("thành phố Tân Uyên") == "Bình Dương"
    assert only_province("huyện Tân Uyên") == "Lai Châu"
    assert only_province("thị xã Sơn Tây") == "Hà Nội"
    assert only_province("quận Hoàng Mai") == "Hà Nội"
    assert only_province("thị xã Hoàng Mai") == "Nghệ An"


def test_province_list_is_not_a_district_with_its_province():
    assert provinces_of("Quảng Ninh, Quảng Bình, Quảng Trị") == ["Quảng Ninh", "Quảng Bình", "Quảng Trị"]


def test_stop_places_need_a_type_word():
    assert mentions("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh") == []
    assert mentions("Đoàn Thanh niên Cộng sản Hồ Chí Minh") == []
    assert mentions("vinh danh 50 doanh nghiệp") == []
    assert mentions("anh Nguyễn Văn Vinh") == []
    assert mentions("vì hòa bình, độc lập và thống nhất") == []
    assert mentions("Dinh Thống Nhất") == []
    assert mentions("Kỷ niệm 70 năm Chiến thắng Điện Biên Phủ") == []
    assert mentions("khu vực châu Á - Thái Bình Dương") == []
    assert only_province("thành phố Điện Biên Phủ") == "Điện Biên"
    assert only_province("huyện Hoàng Sa") == "Đà Nẵng"


def test_people_and_streets_are_not_places():
    assert mentions("đồng chí Lê Đức Thọ") == []
    assert mentions("bà Nguyễn Thị Thanh Hà, Phó Bí thư") == []
    assert mentions("Đại tướng Phan Văn Giang") == []
    assert mentions("số 12 đường Hai Bà Trưng") == []
    assert mentions("xã Tân Bình") == []
    assert only_province("huyện Thanh Hà") == "Hải Dương"
    assert only_province("Huyện ủy Văn Giang") == "Hưng Yên"


def test_speed_smoke():
    """100k characters in one pass (no timing assertion: CI machines vary; this must just run)."""
    text = (
        "Đảng bộ huyện Châu Đức, tỉnh Bà Rịa - Vũng Tàu có 2.150 đảng viên; Thị ủy Hương Thủy kết nạp 45 đảng viên. "
    ) * 800
    found = mentions(text)
    assert len(found) == 3 * 800


def test_places_are_found_the_same_where_lower_case_would_move_offsets():
    # The names are scanned over lower-cased text; "İ" is two characters in lower case, so a text
    # holding one is scanned ignoring case instead, with the same places at the same offsets.
    text = "Đoàn công tác của tỉnh Quảng Trị làm việc tại Huyện Gio Linh."
    odd = text.replace("Đoàn", "İ Đoàn")
    assert [(m.surface, m.province) for m in mentions(odd)] == [(m.surface, m.province) for m in mentions(text)]
    assert [(m.start, m.end) for m in mentions(odd)] == [(m.start + 2, m.end + 2) for m in mentions(text)]
    assert [m.surface for m in mentions(text)] == ["Quảng Trị", "Gio Linh"]
