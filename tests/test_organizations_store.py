"""The registry in the store (DuckDB and PostgreSQL): figures linked to organizations, views a BI
tool can sum without mixing levels, labels for every code, a comment on every column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from conftest import DocPair, kcn, khoi_2020, khoi_2024, make_doc_pair

from baocao.audit import run_audit
from baocao.organizations import organization_id, organize
from baocao.reference import label_kind
from baocao.store import Store, open_store
from baocao.store.catalog import relations
from baocao.store.comments import comment_text, current_comments
from baocao.store.dictionary import describe_column, describe_table
from baocao.store.views import VIEWS
from schemas.records import DocumentInfo

QUANG_NAM = DocumentInfo(province="Quảng Nam", province_2025="Đà Nẵng")
YEAR_2023 = {"period_start": dt.date(2023, 1, 1), "period_end": dt.date(2023, 12, 31)}


def province_report_2023() -> DocPair:
    text = (
        "Năm 2023, Tỉnh ủy Quảng Nam lãnh đạo toàn Đảng bộ tỉnh có 62.103 đảng viên, sinh hoạt tại 1.027 tổ chức "
        "cơ sở đảng. Trong năm, toàn tỉnh kết nạp 1.905 đảng viên mới."
    )
    return make_doc_pair(text, "corpus/quang_nam_2023.txt", info=QUANG_NAM.model_copy(update={"doc_date": dt.date(2024, 1, 8)}),
                         figures=[
                             {"quote": "62.103 đảng viên", "object": "party_member", "event": "total", "value": 62103,
                              "subject": "Tỉnh ủy Quảng Nam", "province": "Quảng Nam", **YEAR_2023},
                             {"quote": "1.027 tổ chức cơ sở đảng", "object": "party_org", "event": "total", "value": 1027,
                              "subject": "Tỉnh ủy Quảng Nam", "province": "Quảng Nam", **YEAR_2023},
                             {"quote": "1.905 đảng viên mới", "object": "party_member", "event": "admitted",
                              "value": 1905, "subject": "Đảng bộ tỉnh", "province": "Quảng Nam", **YEAR_2023},
                         ])  # fmt: skip


def district_report_2023() -> DocPair:
    text = (
        "Đến cuối năm 2023, Đảng bộ huyện Đại Lộc có 4.350 đảng viên; Chi bộ thôn Phú Hòa trực thuộc Đảng ủy xã "
        "Đại Hiệp có 23 đảng viên. Huyện ủy Đại Lộc kết nạp 196 đảng viên trong năm."
    )
    return make_doc_pair(text, "corpus/dai_loc_2023.txt", info=QUANG_NAM.model_copy(update={"doc_date": dt.date(2023, 12, 28)}),
                         figures=[
                             {"quote": "4.350 đảng viên", "object": "party_member", "event": "total", "value": 4350,
                              "subject": "Đảng bộ huyện Đại Lộc", "province": "Quảng Nam", **YEAR_2023},
                             {"quote": "23 đảng viên", "object": "party_member", "event": "total", "value": 23,
                              "subject": "Chi bộ thôn Phú Hòa trực thuộc Đảng ủy xã Đại Hiệp", "province": "Quảng Nam",
                              **YEAR_2023},
                             {"quote": "196 đảng viên", "object": "party_member", "event": "admitted", "value": 196,
                              "subject": "Huyện ủy Đại Lộc", "province": "Quảng Nam", **YEAR_2023},
                         ])  # fmt: skip


def province_list_2024() -> DocPair:
    """A province's list of its units by bare name, and the province's own total of the next year."""
    text = "Năm 2024, Đảng bộ tỉnh có 63.000 đảng viên. Kết nạp mới: Đại Lộc 150 đảng viên, Công an 40 đảng viên."
    y2024 = {"period_start": dt.date(2024, 1, 1), "period_end": dt.date(2024, 12, 31)}
    return make_doc_pair(text, "corpus/quang_nam_2024.txt", info=QUANG_NAM.model_copy(update={"doc_date": dt.date(2024, 12, 30)}),
                         figures=[
                             {"quote": "63.000 đảng viên", "object": "party_member", "event": "total", "value": 63000,
                              "subject": "Đảng bộ tỉnh", "province": "Quảng Nam", **y2024},
                             {"quote": "150 đảng viên", "object": "party_member", "event": "admitted", "value": 150,
                              "subject": "Đại Lộc", "province": "Quảng Nam", **y2024},
                             {"quote": "40 đảng viên", "object": "party_member", "event": "admitted", "value": 40,
                              "subject": "Công an", "province": "Quảng Nam", **y2024},
                         ])  # fmt: skip


def da_nang_2023() -> DocPair:
    text = "Tính đến ngày 31/12/2023, Đảng bộ thành phố Đà Nẵng có 50.012 đảng viên."
    return make_doc_pair(text, "corpus/da_nang_2023.txt",
                         info=DocumentInfo(province="Đà Nẵng", province_2025="Đà Nẵng", doc_date=dt.date(2024, 1, 5)),
                         figures=[{"quote": "50.012 đảng viên", "object": "party_member", "event": "total", "value": 50012,
                                   "subject": "Thành ủy Đà Nẵng", "province": "Đà Nẵng",
                                   "period_start": dt.date(2023, 12, 31), "period_end": dt.date(2023, 12, 31)}])  # fmt: skip


@pytest.fixture
def loaded(store: Store) -> Store:
    for pair in (province_report_2023(), district_report_2023(), province_list_2024(), da_nang_2023(), khoi_2024(),
                 khoi_2020(), kcn()):  # fmt: skip
        store.load_document(*pair)
    organize(store)
    return store


def _org_of(store: Store, subject: str) -> set[str]:
    return set(store.fetch_df("SELECT DISTINCT organization_id FROM figures WHERE subject = ?", [subject])["organization_id"])


def test_every_figure_with_a_subject_is_linked_to_one_organization(loaded: Store) -> None:
    figures = loaded.fetch_df("SELECT subject, organization_id FROM figures")
    with_subject = figures[figures["subject"].notna()]
    assert with_subject["organization_id"].notna().all()
    assert figures[figures["subject"].isna()]["organization_id"].isna().all()  # kcn's figures name nobody
    dai_loc = organization_id("p:quảng nam/huyện đại lộc")
    assert _org_of(loaded, "Đảng bộ huyện Đại Lộc") == _org_of(loaded, "Huyện ủy Đại Lộc") == _org_of(loaded, "Đại Lộc") == {
        dai_loc}  # fmt: skip
    assert _org_of(loaded, "Tỉnh ủy Quảng Nam") == _org_of(loaded, "Đảng bộ tỉnh") == {organization_id("p:quảng nam")}
    org = loaded.fetch_df("SELECT * FROM organizations WHERE id = ?", [dai_loc]).iloc[0]
    assert (org["name"], org["level"], org["province"], org["province_2025"]) == (
        "Đảng bộ huyện Đại Lộc", "under_provincial", "Quảng Nam", "Đà Nẵng")  # fmt: skip
    assert org["parent_id"] == organization_id("p:quảng nam") and org["valid_to"] == dt.date(2025, 6, 30)
    aliases = set(loaded.fetch_df("SELECT alias FROM organization_aliases WHERE organization_id = ?", [dai_loc])["alias"])
    assert {"Đại Lộc", "Huyện ủy Đại Lộc", "Đảng bộ huyện Đại Lộc"} <= aliases


def test_a_second_run_keeps_every_id_and_writes_nothing(loaded: Store) -> None:
    before = loaded.fetch_df("SELECT * FROM organizations ORDER BY id")
    links = loaded.fetch_df("SELECT id, organization_id FROM figures ORDER BY id")
    result = organize(loaded)
    assert result.changed == 0
    assert loaded.fetch_df("SELECT * FROM organizations ORDER BY id").equals(before)
    assert loaded.fetch_df("SELECT id, organization_id FROM figures ORDER BY id").equals(links)


def test_a_reloaded_document_gets_its_organization_back(loaded: Store) -> None:
    loaded.load_document(*district_report_2023())  # the load writes the figures anew, unlinked
    assert loaded.fetch_df("SELECT organization_id FROM figures WHERE subject = 'Huyện ủy Đại Lộc'")["organization_id"].isna().all()
    organize(loaded)
    assert _org_of(loaded, "Huyện ủy Đại Lộc") == {organization_id("p:quảng nam/huyện đại lộc")}


MEMBERS_BY_PROVINCE_AND_YEAR = """
SELECT province, province_2025, period_year, value, n_organizations, figure_ids
FROM province_totals
WHERE level = 'provincial' AND object = 'party_member' AND event = 'total'
  AND segment IS NULL AND detail IS NULL AND NOT target
ORDER BY province, period_year"""


def test_members_per_province_and_year_sum_only_provincial_figures_never_a_chi_bo_s(loaded: Store) -> None:
    rows = loaded.fetch_df(MEMBERS_BY_PROVINCE_AND_YEAR)
    assert [(r.province, r.period_year, r.value) for r in rows.itertuples()] == [
        ("Quảng Nam", 2023, 62103), ("Quảng Nam", 2024, 63000), ("Đà Nẵng", 2023, 50012)]  # fmt: skip
    summed = {i for ids in rows["figure_ids"] for i in ids.split("; ")}
    levels = loaded.fetch_df(
        "SELECT DISTINCT o.level FROM figures f JOIN organizations o ON o.id = f.organization_id WHERE f.id IN ("
        + ", ".join("?" for _ in summed) + ")", sorted(summed))  # fmt: skip
    assert levels["level"].tolist() == ["provincial"]
    # The district's 4.350 and the chi bộ's 23 members are rows of their own levels, beside the province's.
    quang_nam_2023 = loaded.fetch_df(
        "SELECT level, value FROM province_totals WHERE province = 'Quảng Nam' AND period_year = 2023 "
        "AND object = 'party_member' AND event = 'total' ORDER BY level")
    assert quang_nam_2023.values.tolist() == [["below_grassroots", 23], ["provincial", 62103], ["under_provincial", 4350]]
    # After the 2025 merger Quảng Nam is part of Đà Nẵng: the provincial rows add up to the new province.
    merged = rows[(rows["province_2025"] == "Đà Nẵng") & (rows["period_year"] == 2023)]["value"].sum()
    assert merged == 62103 + 50012


def test_the_yearly_view_takes_one_value_per_organization_and_year(loaded: Store) -> None:
    y = loaded.fetch_df("SELECT organization_name, object, event, period_year, value, period_source, figure_ids "
                        "FROM organization_figures_yearly WHERE organization_id = ? ORDER BY period_year, event",
                        [organization_id("p:quảng nam/huyện đại lộc")])  # fmt: skip
    assert [(r.event, r.period_year, r.value) for r in y.itertuples()] == [
        ("admitted", 2023, 196), ("total", 2023, 4350), ("admitted", 2024, 150)]  # fmt: skip
    assert set(y["period_source"]) == {"text"}
    ids = y["figure_ids"].iloc[0].split("; ")
    quotes = loaded.fetch_df("SELECT quote, sentence FROM figures WHERE id = ?", [ids[0]]).iloc[0]
    assert quotes["quote"] == "196 đảng viên" and quotes["sentence"].startswith("Huyện ủy Đại Lộc kết nạp")


def test_the_period_is_filled_from_the_document_when_the_text_gives_none(loaded: Store) -> None:
    facts = loaded.fetch_df("SELECT quote, period_start, period_end, period_year, period_source FROM figure_facts")
    assert facts["period_end"].notna().all() and facts["period_year"].notna().all()
    khoi = facts[facts["quote"] == "4.989 đảng viên"].iloc[0]  # "Hiện nay …" in a report of 3 July 2024
    assert (khoi["period_end"], khoi["period_year"], khoi["period_source"]) == (dt.date(2024, 7, 3), 2024, "document_date")
    assert set(facts[facts["quote"] == "62.103 đảng viên"]["period_source"]) == {"text"}


def test_the_official_form_has_one_column_per_indicator(loaded: Store) -> None:
    form = loaded.fetch_df("SELECT * FROM official_form WHERE organization_id = ? ORDER BY year",
                           [organization_id("p:quảng nam")])  # fmt: skip
    cells = form[["year", "dang_vien", "tccs_dang", "ket_nap"]].fillna(-1).values.tolist()
    assert cells == [[2023, 62103, 1027, 1905], [2024, 63000, -1, -1]]  # -1: no document states it
    values = loaded.fetch_df("SELECT indicator, indicator_vi, value FROM indicator_values WHERE organization_id = ? "
                             "AND year = 2023 ORDER BY indicator", [organization_id("p:quảng nam")])  # fmt: skip
    assert values.values.tolist() == [["dang_vien", "Tổng số đảng viên", 62103], ["ket_nap", "Kết nạp đảng viên mới", 1905],
                                      ["tccs_dang", "Tổng số tổ chức cơ sở đảng", 1027]]  # fmt: skip


def test_labels_cover_every_code_of_figures_and_findings(loaded: Store, tmp_path: Path) -> None:
    run_audit(loaded, html_path=tmp_path / "audit.html", csv_path=tmp_path / "audit.csv")
    assert missing_labels(loaded) == []
    assert loaded.fetch_df("SELECT label_vi FROM labels WHERE kind = 'object' AND code = 'party_member'")["label_vi"][0] == "Đảng viên"
    assert loaded.fetch_df("SELECT label_vi FROM labels WHERE kind = 'level' AND code = 'grassroots'")["label_vi"][0].startswith("Cơ sở")


def missing_labels(store: Store) -> list[tuple[str, str, str]]:
    """(table.column, kind, code) of every code in figures, audit_findings and organizations without a label."""
    out = []
    for table in ("figures", "audit_findings", "organizations"):
        for column in relations()[table].column_names:
            kind = label_kind(table, column)
            if kind is None:
                continue
            rows = store.fetch_df(
                f"SELECT DISTINCT t.{column} AS code FROM {table} t WHERE t.{column} IS NOT NULL AND NOT EXISTS "
                f"(SELECT 1 FROM labels l WHERE l.kind = ? AND l.code = t.{column})", [kind])  # fmt: skip
            out += [(f"{table}.{column}", kind, c) for c in rows["code"]]
    return out


def test_every_table_view_and_column_has_its_description_as_a_comment(store: Store) -> None:
    have = store._run(lambda tx: current_comments(tx, store.dialect), write=False)
    for rel in relations().values():
        assert have.get((rel.name, "")) == comment_text(describe_table(rel.name)), rel.name
        for column in rel.column_names:
            assert have.get((rel.name, column)) == comment_text(describe_column(rel.name, column)), f"{rel.name}.{column}"
    for name in ("figures", "documents", *VIEWS):  # what the issue asks for by name
        assert all((name, c) in have for c in relations()[name].column_names)
    assert have[("figures", "organization_id")].startswith("Tổ chức mà số liệu nói tới")
    assert "(EN) The organization the figure is about" in have[("figures", "organization_id")]


def test_comments_are_written_again_only_when_a_description_changes(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    assert store.refresh_reference_data() == 0
    from baocao.store import comments

    original = comments.describe_table
    monkeypatch.setattr(comments, "describe_table",
                        lambda t: {"en": "Figures.", "vi": "Số liệu."} if t == "figures" else original(t))  # fmt: skip
    assert store.refresh_reference_data() == 1
    have = store._run(lambda tx: current_comments(tx, store.dialect), write=False)
    assert have[("figures", "")] == "Số liệu.\n\n(EN) Figures."


def test_a_version_3_database_is_migrated_and_organized(store_target: str) -> None:
    from test_store import _database_at, _unmigrated

    _database_at(store_target, 3, [khoi_2024(), district_report_2023()])
    with _unmigrated(store_target) as s:
        assert "organization_id" not in s.fetch_df("SELECT * FROM figures").columns
    with open_store(store_target) as s:
        figures = s.fetch_df("SELECT organization_id, detail FROM figures")
        assert figures["organization_id"].isna().all() and figures["detail"].isna().all()
        assert s.counts()["labels"] > 100 and s.counts()["official_indicators"] > 10
        assert s.counts()["organizations"] == 0
        organize(s)
        assert s.fetch_df("SELECT organization_id FROM figures")["organization_id"].notna().all()
        assert len(s.fetch_df("SELECT * FROM province_totals")) > 0


def test_an_empty_store_has_every_view_working(store: Store) -> None:
    organize(store)
    for view in VIEWS:
        assert isinstance(store.fetch_df(f"SELECT * FROM {view}"), pd.DataFrame)
    assert store.counts()["organizations"] == 64  # the Party and the 63 provinces
