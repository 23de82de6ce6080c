"""The SQL of docs/dashboard.md, run as written against stores loaded from corpus/ (DuckDB and
PostgreSQL), and against a store whose answers are known."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from conftest import BACKENDS, new_store_target
from dev_docs import RULES, extract
from test_organizations_store import da_nang_2023, district_report_2023, province_list_2024, province_report_2023

from baocao.audit import run_audit
from baocao.files import expand
from baocao.ingest import IngestError, read_document
from baocao.organizations import organize
from baocao.resolve import resolve
from baocao.store import Store, open_store
from schemas.records import Extraction, SourceDocument

ROOT = Path(__file__).resolve().parents[1]
RECIPE = ROOT / "docs" / "dashboard.md"
QUESTION = re.compile(r"```sql\n-- question: (\w+)\n(.*?)```", re.DOTALL)
FIVE = ("members_by_province_and_year", "admissions_by_organization", "organizations_by_level", "badges_by_year",
        "open_audit_findings")  # fmt: skip


def questions() -> dict[str, str]:
    return {name: sql.strip() for name, sql in QUESTION.findall(RECIPE.read_text(encoding="utf-8"))}


@cache
def corpus() -> list[tuple[SourceDocument, Extraction]]:
    out = []
    for path in expand([str(ROOT / "corpus")]):
        try:
            doc = read_document(path)
        except IngestError:
            continue
        out.append((doc, resolve(doc, extract(doc.text), RULES)))
    return out


@pytest.fixture(scope="module", params=BACKENDS)
def corpus_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    work = tmp_path_factory.mktemp("dashboard")
    with new_store_target(request.param, work) as target, open_store(target) as store:
        for doc, ex in corpus():
            store.load_document(doc, ex)
        organize(store)
        run_audit(store, html_path=work / "audit.html", csv_path=work / "audit.csv")
        yield store


def test_the_recipe_has_the_five_standard_questions() -> None:
    assert set(FIVE) <= set(questions())


@pytest.mark.parametrize("name", FIVE)
def test_each_question_runs_on_a_store_loaded_from_the_corpus(corpus_store: Store, name: str) -> None:
    rows = corpus_store.fetch_df(questions()[name])
    assert isinstance(rows, pd.DataFrame) and len(rows.columns) >= 5


def test_members_by_province_hold_only_provincial_figures_of_the_corpus(corpus_store: Store) -> None:
    rows = corpus_store.fetch_df(questions()["members_by_province_and_year"])
    # The corpus states one province-level membership only for a part (Bình Phước's 27 members in
    # industrial zones) and the Quảng Trị bloc's 4.989 members are a bloc's, directly under the
    # province: neither is a province's total.
    expected = corpus_store.fetch_df(
        "SELECT DISTINCT province, period_year FROM figure_facts WHERE level = 'provincial' AND scope = 'registry' "
        "AND object = 'party_member' AND event = 'total' AND segment IS NULL AND detail IS NULL AND NOT target")
    assert sorted(zip(rows["province"], rows["year"], strict=True)) == sorted(
        zip(expected["province"], expected["period_year"], strict=True))  # fmt: skip
    bloc = corpus_store.fetch_df("SELECT level FROM figure_facts WHERE quote = '4.989 đảng viên'")
    assert set(bloc["level"]) == {"under_provincial"} and "Quảng Trị" not in set(rows["province"])


def test_admissions_by_organization_on_the_corpus(corpus_store: Store) -> None:
    rows = corpus_store.fetch_df(questions()["admissions_by_organization"])
    lam_dong = rows[rows["organization_name"] == "Đảng bộ Khối Doanh nghiệp tỉnh Lâm Đồng"]
    assert lam_dong[["year", "admitted"]].values.tolist() == [[2021, 95]]  # "kết nạp 95 đảng viên mới" in 2021
    assert set(lam_dong["level_vi"].str.split(" \\(").str[0]) == {"Cấp huyện và tương đương"}


def test_organizations_by_level_on_the_corpus(corpus_store: Store) -> None:
    rows = corpus_store.fetch_df(questions()["organizations_by_level"]).set_index("level")
    assert rows.loc["central", "organizations"] == 1 and rows.loc["provincial", "organizations"] == 63
    assert rows.loc["under_provincial", "with_figures"] >= 4  # the blocs of Quảng Trị, Ninh Bình, Lâm Đồng …
    assert rows.loc["provincial", "with_figures"] >= 2  # Bình Phước, Quảng Trị
    assert list(rows.index[:3]) == ["central", "provincial", "under_provincial"]


@pytest.fixture(params=BACKENDS)
def known_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with new_store_target(request.param, tmp_path) as target, open_store(target) as store:
        for pair in (province_report_2023(), district_report_2023(), province_list_2024(), da_nang_2023()):
            store.load_document(*pair)
        organize(store)
        yield store


def test_members_by_province_and_year_gives_the_provincial_figures(known_store: Store) -> None:
    rows = known_store.fetch_df(questions()["members_by_province_and_year"])
    assert rows[["province", "year", "members"]].values.tolist() == [
        ["Quảng Nam", 2023, 62103], ["Quảng Nam", 2024, 63000], ["Đà Nẵng", 2023, 50012]]  # fmt: skip


def test_badges_by_year_take_a_list_s_total_or_the_sum_of_its_parts(known_store: Store) -> None:
    # Make three of the figures badge awards: the province's 1.905 as a 30-year list, the district's
    # 196 as a whole list and its 150 of 2024 as a 40-year one.
    def award(tx) -> None:
        for quote, detail in (("1.905 đảng viên mới", "badge_30_years"), ("196 đảng viên", "badge"),
                              ("150 đảng viên", "badge_40_years")):  # fmt: skip
            tx.execute("UPDATE figures SET event = 'other', detail = ? WHERE quote = ?", (detail, quote))

    known_store._run(award)
    known_store.refresh_reference_data()  # a run labels the codes the figures hold
    rows = known_store.fetch_df(questions()["badges_by_year"])
    assert rows[["year", "level", "members_awarded", "by_badge"]].fillna("-").values.tolist() == [
        [2023, "provincial", 1905, "Huy hiệu 30 năm tuổi Đảng: 1905"],
        [2023, "under_provincial", 196, "-"],  # a whole list, no parts
        [2024, "under_provincial", 150, "Huy hiệu 40 năm tuổi Đảng: 150"],
    ]


def test_open_audit_findings_most_serious_first_with_labels(known_store: Store) -> None:
    from test_export import FINDINGS

    known_store.replace_audit_findings(FINDINGS)
    rows = known_store.fetch_df(questions()["open_audit_findings"])
    assert rows["severity"].tolist() == ["error", "error", "warning"]  # info is not a finding to settle
    assert set(rows["severity_vi"]) == {"Lỗi", "Cảnh báo"} and set(rows["rule_vi"]) == {"Các tài liệu nêu số liệu khác nhau"}


def test_a_row_drills_down_to_its_sentences(known_store: Store) -> None:
    row = known_store.fetch_df(questions()["members_by_province_and_year"]).iloc[0]
    sql = questions()["sentences_behind_a_row"].replace("{{figure_ids}}", "'" + row["figure_ids"] + "'")
    sentences = known_store.fetch_df(sql)
    assert sentences["quote"].tolist() == ["62.103 đảng viên"]
    assert sentences["sentence"][0].startswith("Năm 2023, Tỉnh ủy Quảng Nam")
