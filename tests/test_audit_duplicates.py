"""Republished articles: found by near-duplicate text, counted once, and what a copy changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from dev_docs import DEV, KHOI, extract, needs_dev, text_doc

from baocao.audit import AuditResult, audit_frames, frames_from_extractions, run_audit
from baocao.audit.config import default_config
from baocao.audit.duplicates import find_duplicates, minhash, shingles
from baocao.audit.facts import DocInfo
from schemas.records import DocumentInfo


def extracted(name: str, text: str, doc_date: dt.date | None = None):
    ex = extract(text)
    if doc_date is not None:
        ex.info.doc_date = doc_date
    return text_doc(name, text), ex


def audit_pairs(*pairs) -> AuditResult:
    return audit_frames(*frames_from_extractions(pairs), texts={d.id: d.text for d, _ in pairs})


def original_000() -> str:
    return (DEV / "000_fecd69e2d4926bf8.txt").read_text(encoding="utf-8")


def republished(text: str, header: str = "Trang thông tin điện tử Đảng bộ tỉnh Quảng Trị - Đăng lại ngày 05/8/2024") -> str:
    return f"{header}\n{text}"


@needs_dev
def test_a_republished_article_is_merged_with_its_original() -> None:
    text = original_000()
    original = extracted("000.txt", text, dt.date(2024, 7, 3))
    copy = extracted("000_republished.txt", republished(text), dt.date(2024, 8, 5))
    alone = audit_pairs(original)
    both = audit_pairs(copy, original)  # the copy loaded first: the earlier date still makes the original
    assert both.duplicates == {copy[0].id: original[0].id}
    # counted once: the copy adds no finding, neither its own nor a conflict or agreement with the original
    assert sorted(f.id for f in both.findings) == sorted(f.id for f in alone.findings)
    assert all(copy[0].id not in f.doc_ids for f in both.findings)


@needs_dev
def test_without_dates_the_first_loaded_is_the_original() -> None:
    text = original_000()
    first, second = extracted("a.txt", text), extracted("b.txt", republished(text))
    first[1].info.doc_date = second[1].info.doc_date = None
    assert audit_pairs(first, second).duplicates == {second[0].id: first[0].id}


@needs_dev
def test_a_copy_that_changed_a_figure_is_reported() -> None:
    text = original_000()
    original = extracted("000.txt", text, dt.date(2024, 7, 3))
    copy = extracted("000_copy.txt", republished(text.replace("46 Đảng bộ", "47 Đảng bộ", 1)), dt.date(2024, 8, 5))
    result = audit_pairs(original, copy)
    assert result.duplicates == {copy[0].id: original[0].id}
    rules = sorted(f.rule for f in result.findings if copy[0].id in f.doc_ids)
    assert rules == ["breakdown_exceeds_total", "republished_differs"]
    (differs,) = [f for f in result.findings if f.rule == "republished_differs"]
    assert differs.arithmetic == "47 ≠ 46"
    assert [(r.role, r.quote) for r in differs.facts] == [("original", "46 Đảng bộ"), ("copy", "47 Đảng bộ")]


@needs_dev
def test_different_dev_articles_are_not_duplicates() -> None:
    pairs = [extracted(p.name, p.read_text(encoding="utf-8")) for p in sorted(DEV.glob("*.txt"))]
    assert audit_pairs(*pairs).duplicates == {}


def test_copies_are_left_out_of_cross_document_comparisons(make_doc) -> None:
    info = DocumentInfo(province="Quảng Trị", doc_date=dt.date(2024, 7, 3))
    text = "Hiện nay, Đảng bộ Khối có 84 TCCS đảng (46 Đảng bộ và 38 Chi bộ cơ sở) với 4.989 đảng viên. " * 3
    when = {"subject": KHOI, "period_start": dt.date(2024, 7, 3), "period_end": dt.date(2024, 7, 3)}
    figs = [dict(quote="84 TCCS đảng", object="party_org", event="total", value=84, **when)]
    original = make_doc(text, "corpus/orig.txt", info=info, figures=figs)
    copy = make_doc("Báo Quảng Trị\n" + text, "corpus/copy.txt",
                    info=info.model_copy(update={"doc_date": dt.date(2024, 8, 1)}), figures=figs)
    other = make_doc("Đảng bộ Khối có 81 tổ chức cơ sở đảng.", "corpus/other.txt", info=info,
                     figures=[dict(quote="81 tổ chức cơ sở đảng", object="party_org", event="total", value=81, **when)])
    result = audit_pairs(original, copy, other)
    assert result.duplicates == {copy[0].id: original[0].id}
    (conflict,) = result.findings
    assert conflict.rule == "cross_doc_conflict"
    assert sorted(r.doc_name for r in conflict.facts) == ["orig.txt", "other.txt"]


def test_minhash_estimates_jaccard() -> None:
    words = [f"từ{i}" for i in range(400)]
    a, b = " ".join(words), " ".join(words[:360] + [f"khác{i}" for i in range(40)])
    settings = default_config().duplicates.model_copy(update={"num_perm": 256, "seed": 7})
    sa, sb = shingles(a, 5), shingles(b, 5)
    true = len(set(sa) & set(sb)) / len(set(sa) | set(sb))
    estimate = minhash(sa, settings).jaccard(minhash(sb, settings))
    assert abs(estimate - true) < 0.1


def test_short_texts_sharing_one_sentence_are_not_copies() -> None:
    cfg = default_config()
    docs = {d: DocInfo(id=d, name=d) for d in ("a", "b")}
    texts = {"a": "Đảng bộ Khối có 84 TCCS đảng.", "b": "Đảng bộ Khối có 84 TCCS đảng."}
    assert find_duplicates(texts, docs, cfg) == {}


def test_run_audit_marks_copies_in_the_store(store, tmp_path: Path) -> None:
    text = "Hiện nay, Đảng bộ Khối có 84 TCCS đảng (46 Đảng bộ và 38 Chi bộ cơ sở) với 4.989 đảng viên. " * 3
    for name, body, day in [("orig.txt", text, dt.date(2024, 7, 3)), ("copy.txt", "Báo Quảng Trị\n" + text, dt.date(2024, 8, 1))]:
        doc, ex = extracted(name, body, day)
        store.load_document(doc, ex)
    result = run_audit(store, html_path=tmp_path / "a.html", csv_path=tmp_path / "a.csv")
    assert len(result.duplicates) == 1
    marks = store.fetch_df("SELECT name, duplicate_of FROM documents ORDER BY name")
    orig_id = store.fetch_df("SELECT id FROM documents WHERE name = 'orig.txt'")["id"][0]
    assert {n: (None if pd.isna(d) else d) for n, d in zip(marks["name"], marks["duplicate_of"], strict=True)} == {
        "copy.txt": orig_id,
        "orig.txt": None,
    }
