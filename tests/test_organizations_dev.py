"""The registry on the 91 dev documents: every figure with a subject linked, the names the
documents use for one body resolved to one id, sums that never mix levels, every code labelled."""

from __future__ import annotations

from pathlib import Path

import pytest
from dev_docs import DEV, RULES, extract, needs_dev
from test_organizations_store import MEMBERS_BY_PROVINCE_AND_YEAR, missing_labels

from baocao.audit import run_audit
from baocao.ingest import IngestError, read_document
from baocao.organizations import organization_id, organize
from baocao.resolve import resolve
from baocao.store import Store, open_store

pytestmark = needs_dev


def _load_dev(store: Store, reverse: bool = False) -> None:
    """Every dev document extracted and loaded, in name order (or the reverse), then organized."""
    for path in sorted(DEV.iterdir(), reverse=reverse):
        try:
            doc = read_document(path)
        except IngestError:
            continue
        store.load_document(doc, resolve(doc, extract(doc.text), RULES))
    organize(store)


@pytest.fixture(scope="module")
def dev_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    work = tmp_path_factory.mktemp("dev")
    store = open_store(work / "dev.duckdb")
    _load_dev(store)
    run_audit(store, html_path=work / "audit.html", csv_path=work / "audit.csv")
    yield store
    store.close()


def test_every_figure_with_a_subject_has_an_organization(dev_store: Store) -> None:
    df = dev_store.fetch_df(
        "SELECT f.subject, f.organization_id, o.scope FROM figures f LEFT JOIN organizations o ON o.id = f.organization_id"
    )
    with_subject = df[df["subject"].notna()]
    assert len(with_subject) > 400
    coverage = with_subject["organization_id"].notna().mean()
    assert coverage >= 0.95, f"{coverage:.1%} of the figures with a subject have an organization"
    # Most are organizations known across documents; the rest are named only generically in a text
    # that never says its province ("Đảng bộ tỉnh" in q002).
    assert (with_subject["scope"] == "registry").mean() >= 0.65


def _ids(store: Store, doc: str) -> set[str]:
    return set(store.fetch_df(
        "SELECT DISTINCT f.organization_id FROM figures f JOIN documents d ON d.id = f.doc_id "
        "WHERE d.name = ? AND f.subject IS NOT NULL", [doc])["organization_id"])  # fmt: skip


# Documents and the organizations their subjects name: each spelling in them resolves to one id.
ALL = [
    ("p016.txt", "p:quảng nam/huyện đại lộc"),  # "Đảng bộ huyện Đại Lộc"
    ("q062.txt", "p:quảng nam/huyện tây giang"),
    ("q016.txt", "p:lâm đồng/thành phố bảo lộc"),  # "Đảng bộ Bảo Lộc" and "Đảng bộ thành phố Bảo Lộc"
    ("q097.txt", "p:thanh hóa/u:các cơ quan đảng tỉnh"),  # "Đảng ủy các cơ quan Đảng tỉnh" and its Đảng bộ … Thanh Hóa
    ("q029.txt", "p:sóc trăng"),  # "Sóc Trăng" and "Đảng bộ tỉnh Sóc Trăng"
    ("q049.txt", "p:nam định"),
    ("q050.txt", "p:thái bình"),
    ("q045.txt", "p:nghệ an"),
    ("q102.txt", "p:thành phố hồ chí minh"),  # "Đảng bộ thành phố thành phố HCM Võ Thị Dung"
    ("q103.txt", "p:thành phố hồ chí minh"),  # "Đảng bộ thành phố" in a report of the city
    ("q100.txt", "p:hà nội"),
    ("q017.txt", "p:bắc kạn/huyện ba bể"),  # "Đảng bộ huyện" and "Ba Bể"
    ("004_ef3136a2c2e638be.txt", "p:quảng trị/khối:cơ quan và doanh nghiệp"),
]
SOME = [
    ("p072.txt", ["p:quảng nam/huyện đại lộc", "p:quảng nam/huyện tây giang", "p:quảng nam/u:công an tỉnh",
                  "p:quảng nam", "p:quảng nam/khối:các cơ quan"]),  # its list names units bare: "Đại Lộc", "Công an"
    ("q046.txt", ["p:nghệ an", "p:nghệ an/u:bộ đội biên phòng tỉnh"]),
    ("000_fecd69e2d4926bf8.txt", ["p:quảng trị/khối:cơ quan và doanh nghiệp", "p:quảng trị",
                                  "p:quảng trị/khối:cơ quan và doanh nghiệp#youth_union"]),  # "Đoàn Khối"
    ("q044.txt", ["p:hà nội", "p:hà nội/quận hoàn kiếm"]),
    ("q098.txt", ["p:cà mau", "p:cà mau/thành phố cà mau"]),  # "Đảng bộ tỉnh Phạm Bạch Đằng" is the province's
]


@pytest.mark.parametrize("doc, key", ALL, ids=[d for d, _ in ALL])
def test_the_names_a_document_uses_for_one_body_resolve_to_one_id(dev_store: Store, doc: str, key: str) -> None:
    assert _ids(dev_store, doc) == {organization_id(key)}


@pytest.mark.parametrize("doc, keys", SOME, ids=[d for d, _ in SOME])
def test_a_document_s_organizations_are_those_of_the_registry(dev_store: Store, doc: str, keys: list[str]) -> None:
    assert {organization_id(k) for k in keys} <= _ids(dev_store, doc)


def test_generic_names_without_a_province_stay_apart(dev_store: Store) -> None:
    q002, q031 = _ids(dev_store, "q002.txt"), _ids(dev_store, "q031.txt")  # both "Đảng bộ tỉnh", province unknown
    assert len(q002) == len(q031) == 1 and q002 != q031
    scopes = dev_store.fetch_df("SELECT scope, level FROM organizations WHERE id IN (?, ?)", [*q002, *q031])
    assert set(scopes["scope"]) == {"document"} and set(scopes["level"]) == {"provincial"}


def test_provincial_sums_hold_only_provincial_figures(dev_store: Store) -> None:
    rows = dev_store.fetch_df(MEMBERS_BY_PROVINCE_AND_YEAR)
    assert {"Nghệ An", "Đắk Nông", "Thái Bình"} <= set(rows["province"])
    ids = sorted({i for cell in rows["figure_ids"] for i in cell.split("; ")})
    levels = dev_store.fetch_df(
        "SELECT DISTINCT o.level, f.subject FROM figures f JOIN organizations o ON o.id = f.organization_id "
        f"WHERE f.id IN ({', '.join('?' for _ in ids)})", ids)  # fmt: skip
    assert set(levels["level"]) == {"provincial"}
    assert not levels["subject"].str.startswith("Chi bộ").any()


def test_every_code_of_figures_and_findings_has_a_label(dev_store: Store) -> None:
    assert dev_store.counts()["audit_findings"] > 0
    assert missing_labels(dev_store) == []


def test_the_registry_is_consistent(dev_store: Store) -> None:
    orgs = dev_store.fetch_df("SELECT id, key, parent_id, successor_id, level, province FROM organizations")
    assert orgs["id"].is_unique and orgs["key"].is_unique
    ids = set(orgs["id"])
    assert set(orgs["parent_id"].dropna()) <= ids and set(orgs["successor_id"].dropna()) <= ids
    provincial = orgs[(orgs["level"] == "provincial") & orgs["key"].str.startswith("p:")]
    assert len(provincial) == 63


def test_the_dev_registry_is_reproduced_from_scratch(dev_store: Store, tmp_path: Path) -> None:
    """Ids depend only on what is loaded: a second store built from the same figures has the same registry."""
    again = open_store(tmp_path / "again.duckdb")
    _load_dev(again, reverse=True)  # the other order
    sql = "SELECT id, key, name, level, parent_id, province FROM organizations ORDER BY id"
    assert again.fetch_df(sql).equals(dev_store.fetch_df(sql))
    links = "SELECT id, organization_id FROM figures ORDER BY id"
    assert again.fetch_df(links).equals(dev_store.fetch_df(links))
    again.close()


def test_badges_by_year_on_the_dev_documents(dev_store: Store) -> None:
    """q049 (Nam Định, 2019) lists its badges by years and states the list's total."""
    from test_dashboard import questions

    rows = dev_store.fetch_df(questions()["badges_by_year"])
    nam_dinh = rows[(rows["province"] == "Nam Định") & (rows["year"] == 2019)].iloc[0]
    assert (nam_dinh["level"], nam_dinh["members_awarded"]) == ("provincial", 1797)
    assert "Huy hiệu 30 năm tuổi Đảng: 270" in nam_dinh["by_badge"]

