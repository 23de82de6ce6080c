"""Audit stage: find figures that do not add up, within a document and across documents.

    from baocao.audit import run_audit
    with open_store(None) as store:
        result = run_audit(store)                 # outputs/audit.html, outputs/audit_findings.csv
        print(result.summary_line())

`audit_frames(figures, documents)` is the core on plain DataFrames shaped like the store's
`figures` and `documents` tables; `run_audit` reads them from a store, marks republished copies
(`store.mark_duplicates`), saves the findings (`store.replace_audit_findings`) and writes the
CSV and HTML outputs.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .config import AuditConfig, default_config, load_config
from .duplicates import copy_differences, drop_repeats_of_originals, find_duplicates, texts_from_sentences
from .export import FINDING_COLUMNS, finding_rows, persist, utcnow, write_csv
from .facts import (
    DOCUMENT_COLUMNS,
    FIGURE_COLUMNS,
    DocInfo,
    Fact,
    documents_from_frame,
    facts_from_frame,
    frames_from_extractions,
)
from .findings import AuditResult, FactRef, Finding
from .report_html import render_html, write_html
from .rules_across import check_across
from .rules_within import check_document

__all__ = [
    "DEFAULT_CSV",
    "DEFAULT_HTML",
    "FINDING_COLUMNS",
    "AuditConfig",
    "AuditResult",
    "FactRef",
    "Finding",
    "audit_facts",
    "audit_frames",
    "finding_rows",
    "frames_from_extractions",
    "load_config",
    "render_html",
    "report_paths",
    "run_audit",
]

log = logging.getLogger(__name__)

DEFAULT_HTML = Path("outputs") / "audit.html"
DEFAULT_CSV = Path("outputs") / "audit_findings.csv"


def report_paths(db: str | Path | None, html: str | Path | None = None,
                 csv: str | Path | None = None) -> tuple[Path, Path]:
    """Where the audit of the store `db` writes its HTML report and CSV: the paths given, else next
    to the DuckDB file (outputs/ for PostgreSQL), so two datasets never overwrite each other's report."""
    from baocao.store import duckdb_path

    path = duckdb_path(db)
    folder = path.parent if path is not None else DEFAULT_HTML.parent
    return (Path(html) if html else folder / DEFAULT_HTML.name, Path(csv) if csv else folder / DEFAULT_CSV.name)


# The columns the audit reads, as facts.py lists them: one list for the store and for in-memory frames.
_DOCUMENTS_SQL = f"SELECT {', '.join(DOCUMENT_COLUMNS)} FROM documents WHERE status = 'loaded'"
_FIGURES_SQL = (
    f"SELECT {', '.join('f.' + c for c in FIGURE_COLUMNS)} FROM figures f JOIN documents d ON d.id = f.doc_id "
    "WHERE d.status = 'loaded'"
)
# Documents loaded before signatures were stored (schema < 9): their facts' sentences stand in.
_UNSIGNED = "doc_id IN (SELECT id FROM documents WHERE status = 'loaded' AND minhash IS NULL)"
_SENTENCES_SQL = " UNION ALL ".join(
    f"SELECT doc_id, sentence_start, sentence FROM {t} WHERE {_UNSIGNED}" for t in ("figures", "doc_refs", "dates")
)

_ORDER = {"error": 0, "warning": 1, "info": 2}


def audit_facts(
    facts: list[Fact],
    docs: dict[str, DocInfo],
    *,
    texts: Mapping[str, str] | None = None,
    config: AuditConfig | None = None,
) -> AuditResult:
    """The audit over facts already read: copies first, then the rules within and across documents."""
    cfg = config or default_config()
    facts_by_doc: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        facts_by_doc[f.doc_id].append(f)
    if texts is None:
        texts = texts_from_sentences((f.doc_id, f.sentence_start, f.sentence) for f in facts
                                     if f.doc_id in docs and docs[f.doc_id].signature is None)
    copies = find_duplicates({d: t for d, t in texts.items() if d in docs}, docs, cfg)

    within = {doc_id: check_document(doc_facts, cfg) for doc_id, doc_facts in facts_by_doc.items()}
    findings = drop_repeats_of_originals(within, copies)
    # A copy's facts are its original's: counted once, never an agreement or conflict with itself.
    findings += check_across([f for f in facts if f.doc_id not in copies], docs, cfg)
    findings += copy_differences(facts_by_doc, copies, cfg)

    unique = list({f.id: f for f in findings}.values())
    unique.sort(key=lambda f: (_ORDER[f.severity], f.province or "", f.subject or "", f.rule, f.id))
    return AuditResult(
        findings=unique,
        duplicates=copies,
        doc_names={d: info.name for d, info in docs.items()},
        n_facts=len(facts),
        n_documents=len(docs),
    )


def audit_frames(
    figures: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    texts: Mapping[str, str] | None = None,
    config: AuditConfig | None = None,
) -> AuditResult:
    """The audit over frames shaped like the store's `figures` and `documents` tables.

    `texts`: the text of documents that have no stored signature (documents.minhash), for finding
    republished copies; by default the sentences their figures were read from.
    """
    docs = documents_from_frame(documents)
    facts = facts_from_frame(figures, docs)
    return audit_facts(facts, docs, texts=texts, config=config)


def run_audit(
    store: object,
    html_path: str | Path | None = None,
    csv_path: str | Path | None = None,
    *,
    texts: Mapping[str, str] | None = None,
    config: AuditConfig | None = None,
) -> AuditResult:
    """Audit everything loaded in `store`; mark copies, save findings, write the CSV and the HTML report."""
    documents = store.fetch_df(_DOCUMENTS_SQL)  # type: ignore[attr-defined]
    figures = store.fetch_df(_FIGURES_SQL)  # type: ignore[attr-defined]
    if texts is None:
        # Documents signed at load time need no text; for older ones the sentences of their facts stand in.
        rows = store.fetch_df(_SENTENCES_SQL)  # type: ignore[attr-defined]
        texts = texts_from_sentences(rows.itertuples(index=False, name=None))
    result = audit_frames(figures, documents, texts=texts, config=config)
    _sync_duplicates(store, documents, result.duplicates)
    created_at = utcnow()
    persist(store, result.findings, created_at)
    write_csv(result.findings, csv_path or DEFAULT_CSV, created_at)
    write_html(result, html_path or DEFAULT_HTML, created_at)
    log.info(result.summary_line())
    return result


def _sync_duplicates(store: object, documents: pd.DataFrame, copies: dict[str, str]) -> None:
    """Record each document's original (or that it has none any more), touching only what changed."""
    if documents.empty:
        return
    changed: dict[str, str | None] = {}
    for doc_id, current in zip(documents["id"], documents["duplicate_of"], strict=True):
        current = None if current is None or (isinstance(current, float) and pd.isna(current)) else current
        wanted = copies.get(doc_id)
        if current != wanted:
            changed[doc_id] = wanted
    store.mark_duplicates(changed)  # type: ignore[attr-defined]  # one transaction, not one per copy

