"""Subjects as reports write them -> one organization each, with its level and place.

The spellings are those of the dev documents (p016, p072, q016, q097 …) and the committee and
abbreviated forms reports use for the same bodies.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from baocao.organizations import Context, Resolver, load_rules, organization_id
from baocao.organizations.registry import Mention, build_registry, context_parents, derived_names
from baocao.organizations.rules import build_rules

RULES = load_rules()
R = Resolver(RULES)
DOC = "a" * 64


def key(subject: str, province: str | None = None, doc: str = DOC) -> str:
    return R.resolve(subject, Context(doc, province)).key


def ref(subject: str, province: str | None = None, doc: str = DOC):
    return R.resolve(subject, Context(doc, province))


def in_document(subjects: list[tuple[str, str | None]], doc: str = DOC) -> dict[str, object]:
    got = R.resolve_document([(s, Context(doc, p)) for s, p in subjects])
    return {s: r for (s, _), r in got.items()}


@pytest.mark.parametrize(
    "subject",
    ["Đại Lộc", "Đảng bộ huyện Đại Lộc", "Huyện ủy Đại Lộc", "Huyện uỷ Đại Lộc", "Ban Thường vụ Huyện ủy Đại Lộc",
     "Đảng ủy huyện Đại Lộc", "Huyện ủy huyện Đại Lộc", "Đảng bộ Đại Lộc", "H. Đại Lộc"],
)  # fmt: skip
def test_dai_loc_is_one_organization_however_it_is_named(subject: str) -> None:
    r = ref(subject, "Quảng Nam")
    assert r.key == "p:quảng nam/huyện đại lộc"
    assert (r.name, r.level, r.province, r.parent_key) == ("Đảng bộ huyện Đại Lộc", "under_provincial", "Quảng Nam",
                                                          "p:quảng nam")


@pytest.mark.parametrize(
    "subject, province",
    [("Tỉnh ủy Quảng Nam", None), ("Đảng bộ tỉnh Quảng Nam", None), ("Quảng Nam", "Quảng Nam"),
     ("Ban Thường vụ Tỉnh ủy Quảng Nam", None), ("Đảng bộ tỉnh", "Quảng Nam"), ("Tỉnh ủy", "Quảng Nam"),
     ("Ủy ban Kiểm tra Tỉnh ủy Quảng Nam", None), ("UBKT Tỉnh ủy", "Quảng Nam")],
)  # fmt: skip
def test_a_province_is_its_dang_bo_and_its_committee(subject: str, province: str | None) -> None:
    r = ref(subject, province)
    assert (r.key, r.level, r.name) == ("p:quảng nam", "provincial", "Đảng bộ tỉnh Quảng Nam")


def test_a_person_s_name_after_the_committee_is_not_part_of_the_province() -> None:
    # q006 "Phó Bí thư Tỉnh ủy Phan Xuân Lĩnh", q098 "… Tỉnh ủy Phạm Bạch Đằng": the person, not a province.
    assert key("Đảng bộ tỉnh Phạm Bạch Đằng", "Cà Mau") == "p:cà mau"
    assert ref("Đảng bộ tỉnh Phan Xuân Lĩnh").scope == "document"


@pytest.mark.parametrize(
    "subject, province",
    [("Thành ủy TP.HCM", None), ("Đảng bộ Thành phố Hồ Chí Minh", None), ("Thành ủy TP HCM", None),
     ("Đảng bộ thành phố thành phố HCM Võ Thị Dung", "Thành phố Hồ Chí Minh"),
     ("Đảng bộ thành phố", "Thành phố Hồ Chí Minh"), ("Thành ủy", "Thành phố Hồ Chí Minh")],
)  # fmt: skip
def test_a_centrally_run_city_is_provincial(subject: str, province: str | None) -> None:
    assert (ref(subject, province).key, ref(subject, province).level) == ("p:thành phố hồ chí minh", "provincial")


def test_a_provincial_city_is_not_its_province() -> None:
    assert key("Thành ủy Cần Thơ") == key("Đảng bộ thành phố Cần Thơ") == "p:cần thơ"
    city = ref("Đảng bộ thành phố Cà Mau", "Cà Mau")
    assert (city.key, city.level) == ("p:cà mau/thành phố cà mau", "under_provincial")
    assert key("Tỉnh ủy Cà Mau") == "p:cà mau" != city.key
    bloc = ref("Đảng bộ Khối Cơ quan Dân Chính Đảng thành phố Cần Thơ", "Cần Thơ")
    assert bloc.key == "p:cần thơ/khối:cơ quan dân chính đảng" and bloc.level == "under_provincial"


def test_bao_loc_with_and_without_its_type_is_one_city() -> None:
    # q016 names the city both ways.
    assert key("Đảng bộ Bảo Lộc", "Lâm Đồng") == key("Đảng bộ thành phố Bảo Lộc", "Lâm Đồng") == key(
        "Thành ủy Bảo Lộc", "Lâm Đồng") == "p:lâm đồng/thành phố bảo lộc"  # fmt: skip


def test_a_bare_name_is_the_context_s_province_itself_else_one_of_its_districts() -> None:
    assert key("Quảng Ninh", "Quảng Bình") == "p:quảng bình/huyện quảng ninh"  # a huyện of Quảng Bình
    assert key("Quảng Ninh", "Quảng Ninh") == key("Quảng Ninh") == "p:quảng ninh"
    assert key("Hải Dương") == "p:hải dương"  # not the city of Hải Dương
    assert key("Nghệ An", "Hà Tĩnh") == "p:nghệ an"


def test_a_district_the_gazetteer_does_not_know_keeps_its_name_and_drops_the_verb_after_it() -> None:
    assert key("Đảng bộ thành phố Phan Thiết đạt", "Bình Thuận") == "p:bình thuận/thành phố phan thiết"
    assert key("quận 9", "Thành phố Hồ Chí Minh") == "p:thành phố hồ chí minh/quận 9"
    assert ref("Đảng bộ huyện Đăk Glei", "Kon Tum").name == "Đảng bộ huyện Đắk Glei"  # the gazetteer's spelling


@pytest.mark.parametrize(
    "subject",
    ["Đảng bộ Khối DOANH NGHIỆP TỈNH VĨNH PHÚC", "Đảng ủy Khối Doanh nghiệp tỉnh Vĩnh Phúc",
     "ĐUK Doanh nghiệp tỉnh Vĩnh Phúc", "Ban Thường vụ Đảng ủy Khối Doanh nghiệp tỉnh Vĩnh Phúc"],
)  # fmt: skip
def test_a_bloc_is_one_organization_in_capitals_or_as_its_committee(subject: str) -> None:
    r = ref(subject, "Vĩnh Phúc")
    assert (r.key, r.level, r.name) == ("p:vĩnh phúc/khối:doanh nghiệp", "under_provincial",
                                       "Đảng bộ Khối Doanh nghiệp tỉnh Vĩnh Phúc")


def test_a_province_s_units_are_directly_under_it() -> None:
    # p072 lists "Công an", "Quân sự", "Biên phòng" among Quảng Nam's units.
    assert key("Công an", "Quảng Nam") == key("Đảng bộ Công an tỉnh Quảng Nam") == key(
        "Đảng ủy Công an tỉnh Quảng Nam") == "p:quảng nam/u:công an tỉnh"  # fmt: skip
    assert key("Biên phòng", "Nghệ An") == key("Đảng bộ Bộ đội Biên phòng tỉnh Nghệ An")
    assert key("Đảng ủy các cơ quan Đảng tỉnh", "Thanh Hóa") == key("Đảng bộ các cơ quan Đảng tỉnh Thanh Hóa")
    assert ref("Quân sự", "Quảng Nam").level == "under_provincial"
    assert ref("Đảng bộ Công an tỉnh Bình Thuận").name == "Đảng bộ Công an tỉnh Bình Thuận"


def test_a_unit_s_cell_and_committee_are_one_party_organization() -> None:
    cell, committee = ref("Chi bộ Công ty Astro", "Bình Dương"), ref("Đảng bộ Công ty Astro", "Bình Dương")
    assert cell.key == committee.key == "p:bình dương/u:công ty astro"
    assert (cell.level, cell.kind, committee.kind) == ("grassroots", "party_cell", "party_committee")
    assert ref("Chi bộ DN An Kim Thiện", "Bà Rịa - Vũng Tàu").name == "Chi bộ Doanh nghiệp An Kim Thiện"


def test_levels_follow_the_party_s_organization() -> None:
    assert ref("Đảng Cộng sản Việt Nam").level == ref("Ban Chấp hành Trung ương Đảng").level == "central"
    assert ref("Đảng bộ Khối Doanh nghiệp Trung ương").level == "provincial"  # directly under the Central Committee
    assert ref("Đảng bộ Khối Doanh nghiệp Trung ương").province is None
    assert ref("Đảng bộ Tập đoàn Phát triển Nhà và Đô thị Việt Nam").level == "under_provincial"
    assert ref("Đảng bộ xã Lát", "Lâm Đồng").level == ref("Đảng bộ thị trấn Hồ Xá", "Quảng Trị").level == "grassroots"
    assert ref("Trường Cao đẳng Hải Dương", "Hải Dương").level == "grassroots"
    hamlet = ref("Chi bộ thôn Đông trực thuộc Đảng ủy xã Lát", "Lâm Đồng")
    assert (hamlet.key, hamlet.level, hamlet.parent_key) == ("p:lâm đồng/xã lát/u:thôn đông", "below_grassroots",
                                                             "p:lâm đồng/xã lát")


def test_a_generic_name_takes_the_one_organization_its_document_names() -> None:
    # q017: "Đảng bộ huyện" and "Ba Bể"; 000: "Đoàn Khối" beside its Đảng bộ Khối.
    got = in_document([("Đảng bộ huyện", "Bắc Kạn"), ("Ba Bể", "Bắc Kạn")])
    assert got["Đảng bộ huyện"].key == got["Ba Bể"].key == "p:bắc kạn/huyện ba bể"
    khoi = "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh Quảng Trị"
    got = in_document([("Đoàn Khối", "Quảng Trị"), (khoi, "Quảng Trị")])
    assert got["Đoàn Khối"].key == got[khoi].key + "#youth_union"
    assert got["Đoàn Khối"].name == "Đoàn Khối Cơ quan và Doanh nghiệp tỉnh Quảng Trị"
    assert got["Đoàn Khối"].kind == "youth_union"
    got = in_document([("Chi bộ Cơ động trực thuộc Đảng bộ Khối", "Bà Rịa - Vũng Tàu"),
                       ("Đảng bộ Khối Doanh nghiệp tỉnh", "Bà Rịa - Vũng Tàu")])  # fmt: skip
    assert got["Chi bộ Cơ động trực thuộc Đảng bộ Khối"].key == "p:bà rịa vũng tàu/khối:doanh nghiệp/u:cơ động"


def test_a_generic_name_no_document_explains_belongs_to_its_document_only() -> None:
    # q002 and q031 both say "Đảng bộ tỉnh" and never which province: two organizations, never summed.
    a, b = ref("Đảng bộ tỉnh", doc="b" * 64), ref("Đảng bộ tỉnh", doc="c" * 64)
    assert a.key != b.key and a.scope == b.scope == "document" and a.level == "provincial"
    assert ref("Đảng bộ Khối", "Gia Lai").scope == "document"  # which of the province's blocs?
    assert ref("Đảng bộ cơ quan Đảng – Đoàn thể").scope == "document"  # every district has one
    assert ref("Chi bộ", "Khánh Hòa").level is None


def test_ids_come_from_keys_and_do_not_depend_on_order() -> None:
    assert organization_id("p:quảng nam/huyện đại lộc") == organization_id("p:quảng nam/huyện đại lộc")
    assert len(organization_id("vn")) == 16
    mentions = [Mention("Đại Lộc", ref("Đại Lộc", "Quảng Nam"), DOC), Mention("Bình Phước", ref("Bình Phước"), "b" * 64)]
    first, _ = build_registry(mentions, R)
    second, _ = build_registry(list(reversed(mentions)), R)
    assert first == second
    assert {o["id"] for o in first} >= {organization_id("p:quảng nam/huyện đại lộc"), organization_id("p:bình phước")}


def test_the_2025_reorganization_is_in_the_registry() -> None:
    orgs, aliases = build_registry([Mention("Đại Lộc", ref("Đại Lộc", "Quảng Nam"), DOC)], R)
    by_key = {o["key"]: o for o in orgs}
    quang_nam, da_nang, dai_loc = by_key["p:quảng nam"], by_key["p:đà nẵng"], by_key["p:quảng nam/huyện đại lộc"]
    assert (quang_nam["valid_to"], quang_nam["successor_id"]) == (dt.date(2025, 6, 30), da_nang["id"])
    assert quang_nam["province_2025"] == "Đà Nẵng" and da_nang["valid_to"] is None
    assert (dai_loc["valid_to"], dai_loc["successor_id"], dai_loc["parent_id"]) == (dt.date(2025, 6, 30), None,
                                                                                 quang_nam["id"])
    assert len([o for o in orgs if o["level"] == "provincial"]) == 63
    names = {a["alias"] for a in aliases if a["organization_id"] == dai_loc["id"]}
    assert {"Đại Lộc", "Huyện ủy Đại Lộc", "Đảng bộ huyện Đại Lộc"} <= names


def test_derived_names_resolve_back_to_their_organization() -> None:
    for subject, province in [("Đại Lộc", "Quảng Nam"), ("Bình Phước", None), ("Đảng bộ thành phố Bảo Lộc", "Lâm Đồng"),
                              ("Đảng bộ Khối các cơ quan tỉnh Hải Dương", None), ("Công an", "Quảng Nam"),
                              ("Đảng bộ xã Lát", "Lâm Đồng"), ("Chi bộ Công ty Astro", "Bình Dương"),
                              ("Đảng bộ Thành phố Hồ Chí Minh", None)]:  # fmt: skip
        r = ref(subject, province)
        for name in derived_names(r, RULES) + [r.name]:
            assert key(name, r.province) == r.key, (name, r.key)


def test_a_document_shows_which_body_a_grassroots_unit_is_under() -> None:
    # p011: the units a bloc's report lists are its own.
    khoi = ref("Đảng bộ Khối các cơ quan tỉnh Hải Dương")
    school = ref("Trường Cao đẳng Hải Dương", "Hải Dương")
    assert context_parents([khoi, school]) == {school.key: khoi.key}
    assert context_parents([school]) == {}


def test_the_rules_are_data(tmp_path: Path) -> None:
    """A new unit name in org_levels.json changes the level, with no code change."""
    data = json.loads((Path(__file__).resolve().parents[1] / "baocao/organizations/data/org_levels.json").read_text())
    assert ref("Đảng bộ Cảng vụ Hàng hải Quảng Ninh", "Quảng Ninh").level == "grassroots"
    data["upper_units"].append("cảng vụ")
    repo_data = Path(__file__).resolve().parents[1] / "extractors" / "data"
    rules = build_rules(data, json.loads((repo_data / "provinces.json").read_text()),
                        json.loads((repo_data / "province_merger_2025.json").read_text()))  # fmt: skip
    changed = Resolver(rules).resolve("Đảng bộ Cảng vụ Hàng hải Quảng Ninh", Context(DOC, "Quảng Ninh"))
    assert changed.level == "under_provincial"
