"""Where findings go: the store's audit_findings table, the CSV export and the HTML report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from baocao.audit import FINDING_COLUMNS, AuditResult, audit_frames, frames_from_extractions, render_html, run_audit
from schemas.records import DocumentInfo

P071 = "Đến nay, chi bộ công ty đã phát triển được tổng cộng 24 đảng viên, trong đó có 18 đảng viên chính thức và 7 đảng viên dự bị."
SUBJECT = "Chi bộ Công ty Cổ phần Minh Anh"
INFO = DocumentInfo(province="Bắc Giang", doc_date=dt.date(2023, 3, 1))


def p071(make_doc, path: str = "corpus/p071.txt"):
    members = {"object": "party_member", "event": "total", "subject": SUBJECT}
    return make_doc(P071, path, info=INFO, figures=[
        dict(quote="24 đảng viên", value=24, **members),
        dict(quote="18 đảng viên chính thức", value=18, parent=0, **members),
        dict(quote="7 đảng viên dự bị", value=7, parent=0, **members),
    ])


class FakeStore:
    """A real store for reading, plus the method the lead adds for findings (recorded here)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.saved: list[list[dict[str, Any]]] = []

    def fetch_df(self, sql: str, params: Any = None) -> pd.DataFrame:
        return self.store.fetch_df(sql, params)

    def mark_duplicates(self, originals: dict[str, str | None]) -> None:
        self.store.mark_duplicates(originals)

    def replace_audit_findings(self, rows: list[dict[str, Any]]) -> None:
        self.saved.append(rows)


@pytest.fixture
def loaded(store, make_doc) -> FakeStore:
    store.load_document(*p071(make_doc))
    return FakeStore(store)


def test_findings_are_saved_as_audit_findings_rows(loaded: FakeStore, tmp_path: Path) -> None:
    result = run_audit(loaded, html_path=tmp_path / "audit.html", csv_path=tmp_path / "audit.csv")
    (rows,) = loaded.saved
    (row,) = rows
    assert tuple(row) == FINDING_COLUMNS == (
        "id", "rule", "severity", "province", "subject", "object", "event", "message_vi", "message_en",
        "arithmetic", "facts_json", "doc_ids", "created_at",
    )
    assert (row["rule"], row["severity"], row["province"], row["subject"]) == (
        "breakdown_exceeds_total", "error", "Bắc Giang", SUBJECT,
    )
    assert (row["object"], row["event"], row["arithmetic"]) == ("party_member", "total", "18 + 7 = 25 ≠ 24")
    assert isinstance(row["created_at"], dt.datetime)
    facts = json.loads(row["facts_json"])
    assert [f["quote"] for f in facts] == ["24 đảng viên", "18 đảng viên chính thức", "7 đảng viên dự bị"]
    for f in facts:
        assert {"doc_id", "doc_name", "page", "start", "end", "quote", "sentence", "value"} <= set(f)
        assert P071[f["start"] : f["end"]] == f["quote"] and f["sentence"] == P071 and f["page"] == 1
    assert row["doc_ids"] == facts[0]["doc_id"]
    assert result.summary_line() == "audit: 1 error, 0 warnings, 0 info in 1 document (3 figures)"


def test_finding_ids_are_stable_across_runs(loaded: FakeStore, tmp_path: Path) -> None:
    run_audit(loaded, html_path=tmp_path / "a.html", csv_path=tmp_path / "a.csv")
    run_audit(loaded, html_path=tmp_path / "a.html", csv_path=tmp_path / "a.csv")
    first, second = loaded.saved
    assert [r["id"] for r in first] == [r["id"] for r in second]


def test_a_store_without_the_findings_table_still_gets_reports(store, make_doc, tmp_path: Path) -> None:
    store.load_document(*p071(make_doc))
    result = run_audit(store, html_path=tmp_path / "audit.html", csv_path=tmp_path / "audit.csv")
    assert result.count_at_least("error") == 1
    assert (tmp_path / "audit.html").exists() and (tmp_path / "audit.csv").exists()


def test_default_output_paths(loaded: FakeStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run_audit(loaded)
    assert (tmp_path / "outputs" / "audit.html").exists()
    assert (tmp_path / "outputs" / "audit_findings.csv").exists()


def test_csv_export(loaded: FakeStore, tmp_path: Path) -> None:
    run_audit(loaded, html_path=tmp_path / "audit.html", csv_path=tmp_path / "out" / "findings.csv")
    df = pd.read_csv(tmp_path / "out" / "findings.csv", encoding="utf-8-sig")
    assert list(df.columns) == list(FINDING_COLUMNS)
    assert df["message_vi"][0] == "Các phần cộng lại (25) vượt tổng số 24 đảng viên."
    assert json.loads(df["facts_json"][0])[1]["quote"] == "18 đảng viên chính thức"


def result_of(make_doc) -> AuditResult:
    return audit_frames(*frames_from_extractions([p071(make_doc)]))


def test_html_report_is_self_contained_and_shows_the_quotes(make_doc) -> None:
    html = render_html(result_of(make_doc))
    assert "<style>" in html
    for external in ("http://", "https://", "<link", "<script", "@import", "url("):
        assert external not in html
    assert "<mark>18 đảng viên chính thức</mark>" in html
    assert "phát triển được tổng cộng <mark>24 đảng viên</mark>, trong đó" in html
    assert "18 + 7 = 25 ≠ 24" in html
    assert "Bắc Giang" in html and SUBJECT in html and "p071.txt" in html
    assert "Các phần cộng lại (25) vượt tổng số 24 đảng viên." in html
    assert "The parts add up to 25, more than the stated total of 24 party members." in html


def test_html_escapes_the_text_it_quotes(make_doc) -> None:
    text = "Chi bộ <b>A</b> có 24 đảng viên, trong đó có 18 đảng viên chính thức và 7 đảng viên dự bị."
    members = {"object": "party_member", "event": "total", "subject": "Chi bộ <A>"}
    pair = make_doc(text, "corpus/x.txt", info=INFO, figures=[
        dict(quote="24 đảng viên", value=24, **members),
        dict(quote="18 đảng viên chính thức", value=18, parent=0, **members),
        dict(quote="7 đảng viên dự bị", value=7, parent=0, **members),
    ])
    html = render_html(audit_frames(*frames_from_extractions([pair])))
    assert "<b>A</b>" not in html and "&lt;b&gt;A&lt;/b&gt;" in html and "Chi bộ &lt;A&gt;" in html


def test_html_report_without_findings_says_so() -> None:
    assert "No inconsistent figures found." in render_html(AuditResult(findings=[]))


def test_counts_by_severity_and_thresholds(make_doc) -> None:
    result = result_of(make_doc)
    assert result.counts_by_severity() == {"error": 1, "warning": 0, "info": 0}
    assert (result.count_at_least("error"), result.count_at_least("warning"), result.count_at_least("info")) == (1, 1, 1)
    with pytest.raises(ValueError):
        result.count_at_least("fatal")


def test_html_lists_republished_copies_by_name() -> None:
    result = AuditResult(findings=[], duplicates={"c1": "o1"}, doc_names={"c1": "bao_dang_lai.txt", "o1": "ban_goc.txt"})
    assert "“bao_dang_lai.txt” đăng lại · republishes “ban_goc.txt”" in render_html(result)
